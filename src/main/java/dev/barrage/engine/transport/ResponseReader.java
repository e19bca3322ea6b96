package dev.barrage.engine.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int INITIAL_BUFFER_BYTES = 512;
    /** Large bodies are discarded through up to this much: fewer reads, bounded memory per session. */
    static final int BODY_BUFFER_BYTES = 16 * 1024;

    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");

    private static final String HEAD_TOO_LARGE = "response head exceeds " + MAX_HEAD_BYTES + " bytes";
    private static final String TRAILERS_TOO_LARGE = "chunked trailers exceed " + MAX_HEAD_BYTES + " bytes";
    private static final String CHUNK_LINE_TOO_LONG = "chunk size line too long";
    private static final String MISSING_CHUNK_CRLF = "chunk data not followed by CRLF";
    private static final String STRAY_BYTES = "bytes beyond the end of the response";

    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    private int pos;
    private int limit;
    private long bytesRead;
    private boolean reusable;

    // Facts from the head currently being parsed.
    private int minorVersion;
    private long contentLength;
    private boolean transferEncoded;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
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

        boolean persistent = !connectionClose && (minorVersion >= 1 || connectionKeepAlive);
        if (status == 101) {
            return status; // the connection now speaks another protocol: never reuse it
        }
        deliverBody = listener != null && listener.wantsBody();
        if (headRequest || status == 204 || status == 304) {
            // no body
        } else if (transferEncoded && chunked) {
            skipChunkedBody(in);
            persistent &= contentLength < 0; // both framings given: the peer is confused, do not trust it
        } else if (transferEncoded || contentLength < 0) {
            skipUntilClose(in);
            persistent = false;
        } else {
            skip(in, contentLength);
        }
        if (pos != limit) {
            // Bytes beyond the response were never asked for (a second response, a HEAD answer's
            // body): this answer is not valid, and they must not be read as the next request's.
            throw new MalformedResponseException(STRAY_BYTES);
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
        minorVersion = 1;
        contentLength = -1;
        transferEncoded = false;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;

        int headBytes = 0;
        int lineEnd = nextLine(in, MAX_HEAD_BYTES, HEAD_TOO_LARGE);
        headBytes += lineEnd + 1 - pos;
        int status = parseStatusLine(pos, withoutCr(pos, lineEnd));
        pos = lineEnd + 1;
        if (listener != null) {
            listener.headStarted(status);
        }
        while (true) {
            lineEnd = nextLine(in, MAX_HEAD_BYTES - headBytes, HEAD_TOO_LARGE);
            headBytes += lineEnd + 1 - pos;
            int end = withoutCr(pos, lineEnd);
            if (end == pos) {
                pos = lineEnd + 1;
                return status;
            }
            parseHeader(pos, end);
            pos = lineEnd + 1;
        }
    }

    /** Parses {@code HTTP/1.x SSS[ reason]}. */
    private int parseStatusLine(int start, int end) throws MalformedResponseException {
        if (end - start < 12 || !regionEquals(start, HTTP_1) || !isDigit(buffer[start + 7])
                || buffer[start + 8] != ' ' || (end > start + 12 && buffer[start + 12] != ' ')) {
            throw new MalformedResponseException("malformed status line");
        }
        int status = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (!isDigit(buffer[i])) {
                throw new MalformedResponseException("non-numeric status code");
            }
            status = status * 10 + (buffer[i] - '0');
        }
        if (status < 100) {
            throw new MalformedResponseException("status code below 100");
        }
        minorVersion = buffer[start + 7] - '0';
        return status;
    }

    private void parseHeader(int start, int end) throws MalformedResponseException {
        if (buffer[start] == ' ' || buffer[start] == '\t') {
            return; // obsolete line folding: continues a header we do not interpret
        }
        int colon = indexOf((byte) ':', start, end);
        if (colon <= start) {
            throw new MalformedResponseException("header line without a name and colon");
        }
        int valueStart = skipWhitespace(colon + 1, end);
        int valueEnd = trimWhitespace(valueStart, end);
        int nameLength = colon - start;
        if (listener != null) {
            listener.header(buffer, start, colon, valueStart, valueEnd);
        }
        if (nameLength == CONTENT_LENGTH.length && nameEquals(start, CONTENT_LENGTH)) {
            long length = parseContentLength(valueStart, valueEnd);
            if (contentLength >= 0 && contentLength != length) {
                throw new MalformedResponseException("conflicting Content-Length headers");
            }
            contentLength = length;
        } else if (nameLength == TRANSFER_ENCODING.length && nameEquals(start, TRANSFER_ENCODING)) {
            transferEncoded = true;
            chunked = lastTokenIs(valueStart, valueEnd, CHUNKED); // the last header decides the final coding
        } else if (nameLength == CONNECTION.length && nameEquals(start, CONNECTION)) {
            scanConnectionTokens(valueStart, valueEnd);
        }
    }

    private long parseContentLength(int start, int end) throws MalformedResponseException {
        if (start == end) {
            throw new MalformedResponseException("empty Content-Length");
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            byte b = buffer[i];
            if (!isDigit(b) || length > (Long.MAX_VALUE - 9) / 10) {
                throw new MalformedResponseException("invalid Content-Length");
            }
            length = length * 10 + (b - '0');
        }
        return length;
    }

    private void scanConnectionTokens(int start, int end) {
        int tokenStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || buffer[i] == ',') {
                int from = skipWhitespace(tokenStart, i);
                int to = trimWhitespace(from, i);
                if (tokenEquals(from, to, CLOSE)) {
                    connectionClose = true;
                } else if (tokenEquals(from, to, KEEP_ALIVE)) {
                    connectionKeepAlive = true;
                }
                tokenStart = i + 1;
            }
        }
    }

    private boolean lastTokenIs(int start, int end, byte[] token) {
        int lastComma = start - 1;
        for (int i = end - 1; i >= start; i--) {
            if (buffer[i] == ',') {
                lastComma = i;
                break;
            }
        }
        int from = skipWhitespace(lastComma + 1, end);
        return tokenEquals(from, trimWhitespace(from, end), token);
    }

    private void skipChunkedBody(ByteSource in) throws IOException {
        while (true) {
            long size = readChunkSize(in);
            if (size == 0) {
                skipTrailers(in);
                return;
            }
            skip(in, size);
            int lineEnd = nextLine(in, 2, MISSING_CHUNK_CRLF);
            if (withoutCr(pos, lineEnd) != pos) {
                throw new MalformedResponseException(MISSING_CHUNK_CRLF);
            }
            pos = lineEnd + 1;
        }
    }

    /** Parses {@code HEX[ BWS][;extensions]} and consumes the line. */
    private long readChunkSize(ByteSource in) throws IOException {
        int lineEnd = nextLine(in, MAX_HEAD_BYTES, CHUNK_LINE_TOO_LONG);
        int end = withoutCr(pos, lineEnd);
        long size = 0;
        int i = pos;
        for (; i < end; i++) {
            int digit = Character.digit(buffer[i], 16);
            if (digit < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >>> 4)) {
                throw new MalformedResponseException("chunk size overflows");
            }
            size = (size << 4) | digit;
        }
        if (i == pos) {
            throw new MalformedResponseException("invalid chunk size");
        }
        i = skipWhitespace(i, end);
        if (i < end && buffer[i] != ';') {
            throw new MalformedResponseException("invalid chunk size");
        }
        pos = lineEnd + 1;
        return size;
    }

    private void skipTrailers(ByteSource in) throws IOException {
        int trailerBytes = 0;
        while (true) {
            int lineEnd = nextLine(in, MAX_HEAD_BYTES - trailerBytes, TRAILERS_TOO_LARGE);
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
        return lineFeed > start && buffer[lineFeed - 1] == '\r' ? lineFeed - 1 : lineFeed;
    }

    private int indexOf(byte b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int skipWhitespace(int start, int end) {
        int i = start;
        while (i < end && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        return i;
    }

    private int trimWhitespace(int start, int end) {
        int i = end;
        while (i > start && (buffer[i - 1] == ' ' || buffer[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    private boolean regionEquals(int start, byte[] expected) {
        return Arrays.equals(buffer, start, start + expected.length, expected, 0, expected.length);
    }

    private boolean tokenEquals(int start, int end, byte[] lowerCase) {
        return end - start == lowerCase.length && nameEquals(start, lowerCase);
    }

    /** Case-insensitive comparison against a lower-case ASCII name of the same length. */
    private boolean nameEquals(int start, byte[] lowerCase) {
        return HeaderNames.sameName(buffer, start, lowerCase);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
