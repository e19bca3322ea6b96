package dev.barrage.engine.transport;

import java.io.EOFException;
import java.io.IOException;

/**
 * Reads one HTTP/1.1 response and discards its body, keeping only what a load test needs: the
 * status, whether the connection may carry another request, and how many bytes arrived.
 *
 * <p>Bytes are pulled with bulk reads into one reused buffer and scanned in place; header names
 * are compared as bytes, so a typical response costs no allocation. Interim 1xx responses are
 * skipped. Bodies are framed by chunked coding, Content-Length, or the end of the connection.
 *
 * <p>The buffer starts small and grows only as the responses need: 10,000 sessions each holding
 * a 16 KiB buffer for 100-byte responses would be 160 MB of heap doing nothing. It starts at 512
 * bytes, which holds a typical small response whole (nginx's is under 200); a larger one grows the
 * session's buffer once, at the cost of a copy and a read, and it stays grown.
 *
 * <p>Thread-safety: confined to the session that owns it (the buffer is reused between exchanges).
 */
final class ResponseReader {

    /** Upper bound for the status line plus headers, and separately for chunked trailers. */
    static final int MAX_HEAD_BYTES = ResponseHead.MAX_HEAD_BYTES;
    static final int INITIAL_BUFFER_BYTES = 512;
    /** Large bodies are discarded through up to this much: fewer reads, bounded memory per session. */
    static final int BODY_BUFFER_BYTES = 16 * 1024;

    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    private int pos;
    private int limit;
    private long bytesRead;
    private boolean reusable;

    private final ResponseHead head = new ResponseHead(); // the head currently being parsed
    private ResponseListener listener; // null: discard everything unseen
    private boolean deliverBody;

    /** Forgets the previous exchange; {@link #bytesRead()} is 0 until the next {@link #read}. */
    void reset() {
        pos = 0;
        limit = 0;
        bytesRead = 0;
        reusable = false;
    }

    /**
     * Reads one complete response (after any interim 1xx responses) and discards its body.
     *
     * @param headRequest the request was HEAD, so the response has no body whatever it says
     * @return the final status code
     * @throws MalformedResponseException when the bytes are not a valid response, or more bytes than
     *                                    the response arrived with it
     * @throws EOFException               when the stream ends before the response is complete
     */
    int read(ByteSource in, boolean headRequest) throws IOException {
        return read(in, headRequest, null);
    }

    /**
     * As {@link #read(ByteSource, boolean)}, showing the final response's headers and (when it asks)
     * body to {@code listener}; null discards them unseen.
     */
    int read(ByteSource in, boolean headRequest, ResponseListener listener) throws IOException {
        reset();
        this.listener = listener;
        this.deliverBody = false;
        fill(in); // wait for the response here, at a shallow frame: the waiting user's frozen stack is smaller
        int status;
        do {
            status = readHead(in);
        } while (status < 200 && status != 101);

        boolean persistent = head.persistent();
        if (status == 101) {
            return status; // the connection now speaks another protocol: never reuse it
        }
        deliverBody = listener != null && listener.wantsBody();
        switch (head.framing(status, headRequest)) {
            case NONE -> { }
            case CHUNKED -> {
                skipChunkedBody(in);
                persistent &= head.contentLength() < 0; // both framings given: the peer is confused, do not trust it
            }
            case UNTIL_CLOSE -> {
                skipUntilClose(in);
                persistent = false;
            }
            case LENGTH -> skip(in, head.contentLength());
        }
        if (pos != limit) {
            // Bytes beyond the response were never asked for (a second response, a HEAD answer's
            // body): this answer is not valid, and they must not be read as the next request's.
            throw new MalformedResponseException(ResponseHead.STRAY_BYTES);
        }
        reusable = persistent;
        return status;
    }

    /** Whether the connection may carry the next request after the last {@link #read}. */
    boolean reusable() {
        return reusable;
    }

    /** Bytes received since the last {@link #reset()} or {@link #read}, including partial reads. */
    long bytesRead() {
        return bytesRead;
    }

    private int readHead(ByteSource in) throws IOException {
        head.reset();
        int headBytes = 0;
        int lineEnd = nextLine(in, MAX_HEAD_BYTES, ResponseHead.HEAD_TOO_LARGE);
        headBytes += lineEnd + 1 - pos;
        int status = head.parseStatusLine(buffer, pos, withoutCr(pos, lineEnd));
        pos = lineEnd + 1;
        if (listener != null) {
            listener.headStarted(status);
        }
        while (true) {
            lineEnd = nextLine(in, MAX_HEAD_BYTES - headBytes, ResponseHead.HEAD_TOO_LARGE);
            headBytes += lineEnd + 1 - pos;
            int end = withoutCr(pos, lineEnd);
            if (end == pos) {
                pos = lineEnd + 1;
                return status;
            }
            head.parseHeader(buffer, pos, end, listener);
            pos = lineEnd + 1;
        }
    }

    private void skipChunkedBody(ByteSource in) throws IOException {
        while (true) {
            long size = readChunkSize(in);
            if (size == 0) {
                skipTrailers(in);
                return;
            }
            skip(in, size);
            int lineEnd = nextLine(in, 2, ResponseHead.MISSING_CHUNK_CRLF);
            if (withoutCr(pos, lineEnd) != pos) {
                throw new MalformedResponseException(ResponseHead.MISSING_CHUNK_CRLF);
            }
            pos = lineEnd + 1;
        }
    }

    /** Parses the chunk size line and consumes it. */
    private long readChunkSize(ByteSource in) throws IOException {
        int lineEnd = nextLine(in, MAX_HEAD_BYTES, ResponseHead.CHUNK_LINE_TOO_LONG);
        long size = ResponseHead.parseChunkSize(buffer, pos, withoutCr(pos, lineEnd));
        pos = lineEnd + 1;
        return size;
    }

    private void skipTrailers(ByteSource in) throws IOException {
        int trailerBytes = 0;
        while (true) {
            int lineEnd = nextLine(in, MAX_HEAD_BYTES - trailerBytes, ResponseHead.TRAILERS_TOO_LARGE);
            trailerBytes += lineEnd + 1 - pos;
            boolean empty = withoutCr(pos, lineEnd) == pos;
            pos = lineEnd + 1;
            if (empty) {
                return;
            }
        }
    }

    private void skip(ByteSource in, long count) throws IOException {
        long remaining = count;
        while (true) {
            int available = limit - pos;
            if (available >= remaining) {
                if (deliverBody) {
                    listener.body(buffer, pos, (int) remaining);
                }
                pos += (int) remaining;
                return;
            }
            if (deliverBody) {
                listener.body(buffer, pos, available);
            }
            remaining -= available;
            pos = 0;
            limit = 0;
            growForBody(remaining);
            fill(in);
        }
    }

    /** Called with the buffer empty, so nothing needs copying. */
    private void growForBody(long remaining) {
        if (remaining > buffer.length && buffer.length < BODY_BUFFER_BYTES) {
            int wanted = remaining >= BODY_BUFFER_BYTES ? BODY_BUFFER_BYTES : Integer.highestOneBit((int) remaining - 1) << 1;
            buffer = new byte[wanted];
        }
    }

    private void skipUntilClose(ByteSource in) throws IOException {
        if (deliverBody) {
            listener.body(buffer, pos, limit - pos);
        }
        pos = 0;
        limit = 0;
        growForBody(Long.MAX_VALUE);
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
            bytesRead += n;
            if (deliverBody) {
                listener.body(buffer, 0, n);
            }
        }
    }

    /**
     * Returns the index of the LF ending the line that starts at {@link #pos}, reading as needed.
     *
     * @param maxLength most bytes the line may take, LF included
     */
    private int nextLine(ByteSource in, int maxLength, String tooLong) throws IOException {
        int scanned = 0; // bytes after pos known to hold no LF; survives compaction
        while (true) {
            int scanLimit = (int) Math.min(limit, (long) pos + maxLength);
            for (int i = pos + scanned; i < scanLimit; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            scanned = scanLimit - pos;
            if (scanned >= maxLength) {
                throw new MalformedResponseException(tooLong);
            }
            fill(in);
        }
    }

    /**
     * Reads at least one more byte after {@link #limit}, making room first if the buffer is full:
     * it grows while smaller than {@link #BODY_BUFFER_BYTES} or while one line fills it (nextLine's
     * bound stops that at MAX_HEAD_BYTES), and is compacted otherwise.
     */
    private void fill(ByteSource in) throws IOException {
        if (limit == buffer.length) {
            int kept = limit - pos;
            byte[] target = pos == 0 || buffer.length < BODY_BUFFER_BYTES ? new byte[buffer.length * 2] : buffer;
            System.arraycopy(buffer, pos, target, 0, kept);
            buffer = target;
            limit = kept;
            pos = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            throw new EOFException("connection closed before the response was complete");
        }
        limit += n;
        bytesRead += n;
    }

    private int withoutCr(int start, int lineFeed) {
        return ResponseHead.withoutCr(buffer, start, lineFeed);
    }
}
