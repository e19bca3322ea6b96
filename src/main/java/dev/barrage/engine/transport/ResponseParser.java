package dev.barrage.engine.transport;

import java.io.EOFException;

/**
 * Parses one HTTP/1.1 response from bytes pushed to it as they arrive, for the event loop, where no
 * thread waits for them: the same rules, limits and failures as the pulling {@link ResponseReader}
 * (the head's rules are {@link ResponseHead}'s, shared by both), and the body discarded as it
 * passes. Lines are parsed in the caller's buffer where they lie; only a line split between two
 * reads is copied, into a carry buffer that grows as that line needs (up to the head limit) and is
 * dropped again when the response is complete, so a waiting connection keeps no buffer.
 *
 * <p>Thread-safety: confined to the event loop thread of the session that owns it.
 */
final class ResponseParser {

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private static final int CARRY_START_BYTES = 256;

    private final ResponseHead head = new ResponseHead();
    private State state = State.DONE;
    private boolean headRequest;
    private boolean statusLineNext;
    private int status;
    private boolean reusable;
    private boolean persistent;
    private boolean switchedProtocols;
    private long remaining;
    private int sectionBytes; // the current head's or trailer section's complete lines so far
    private long bytesRead;
    private byte[] carry;
    private int carried;

    /** Begins a new response to a request that was a HEAD or not; {@link #bytesRead()} counts from 0. */
    void start(boolean headRequest) {
        this.headRequest = headRequest;
        this.state = State.HEAD;
        this.statusLineNext = true;
        this.sectionBytes = 0;
        this.bytesRead = 0;
        this.reusable = false;
        this.switchedProtocols = false;
        this.carried = 0;
        head.reset();
    }

    /**
     * Takes the next bytes of the response.
     *
     * @return whether the response is complete
     * @throws MalformedResponseException when the bytes are not a valid response, or bytes beyond
     *                                    its end arrived with it
     */
    boolean feed(byte[] bytes, int offset, int length) throws MalformedResponseException {
        bytesRead += length;
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            pos = switch (state) {
                case HEAD -> line(bytes, pos, end, ResponseHead.MAX_HEAD_BYTES - sectionBytes, ResponseHead.HEAD_TOO_LARGE);
                case CHUNK_SIZE -> line(bytes, pos, end, ResponseHead.MAX_HEAD_BYTES, ResponseHead.CHUNK_LINE_TOO_LONG);
                case CHUNK_END -> line(bytes, pos, end, 2, ResponseHead.MISSING_CHUNK_CRLF);
                case TRAILERS -> line(bytes, pos, end, ResponseHead.MAX_HEAD_BYTES - sectionBytes, ResponseHead.TRAILERS_TOO_LARGE);
                case BODY, CHUNK_DATA -> skip(pos, end);
                case UNTIL_CLOSE -> end;
                case DONE -> {
                    if (switchedProtocols) {
                        yield end; // the connection speaks another protocol now; it is closed, never read on
                    }
                    throw new MalformedResponseException(ResponseHead.STRAY_BYTES);
                }
            };
        }
        return state == State.DONE;
    }

    /**
     * The peer closed the connection: that ends a body framed by the connection's end.
     *
     * @return true, the response being complete
     * @throws EOFException when the response was not complete
     */
    boolean endOfStream() throws EOFException {
        if (state == State.UNTIL_CLOSE) {
            finish();
            return true;
        }
        if (state == State.DONE) {
            return true;
        }
        throw new EOFException("connection closed before the response was complete");
    }

    /** The final status code, once {@link #feed} returned true. */
    int status() {
        return status;
    }

    /** Whether the connection may carry the next request, once the response is complete. */
    boolean reusable() {
        return reusable;
    }

    /** Bytes fed since {@link #start}, including any beyond the response that made it malformed. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * Finds the LF ending the line that starts at {@code pos} (or in the carry buffer), at most
     * {@code maxLength} bytes in, the LF included, and handles the line. Returns where it ended.
     */
    private int line(byte[] bytes, int pos, int end, int maxLength, String tooLong) throws MalformedResponseException {
        int scanLimit = (int) Math.min(end, (long) pos + maxLength - carried);
        for (int i = pos; i < scanLimit; i++) {
            if (bytes[i] == '\n') {
                if (carried == 0) {
                    lineEnded(bytes, pos, i);
                } else {
                    carry(bytes, pos, i + 1);
                    int lineFeed = carried - 1;
                    carried = 0;
                    lineEnded(carry, 0, lineFeed);
                }
                return i + 1;
            }
        }
        if (carried + (end - pos) >= maxLength) {
            throw new MalformedResponseException(tooLong);
        }
        carry(bytes, pos, end);
        return end;
    }

    private void carry(byte[] bytes, int from, int to) {
        int needed = carried + to - from;
        if (carry == null || carry.length < needed) {
            byte[] grown = new byte[Math.max(needed, carry == null ? CARRY_START_BYTES : carry.length * 2)];
            if (carried > 0) {
                System.arraycopy(carry, 0, grown, 0, carried);
            }
            carry = grown;
        }
        System.arraycopy(bytes, from, carry, carried, to - from);
        carried = needed;
    }

    /** Handles the line {@code buffer[start, lineFeed)}, its LF at {@code lineFeed}. */
    private void lineEnded(byte[] buffer, int start, int lineFeed) throws MalformedResponseException {
        int end = ResponseHead.withoutCr(buffer, start, lineFeed);
        switch (state) {
            case HEAD -> {
                sectionBytes += lineFeed + 1 - start;
                if (statusLineNext) {
                    status = head.parseStatusLine(buffer, start, end);
                    statusLineNext = false;
                } else if (end > start) {
                    head.parseHeader(buffer, start, end, null);
                } else {
                    headEnded();
                }
                if (state == State.HEAD && sectionBytes >= ResponseHead.MAX_HEAD_BYTES) {
                    throw new MalformedResponseException(ResponseHead.HEAD_TOO_LARGE); // no room left for the next line's LF
                }
            }
            case CHUNK_SIZE -> {
                remaining = ResponseHead.parseChunkSize(buffer, start, end);
                if (remaining == 0) {
                    state = State.TRAILERS;
                    sectionBytes = 0;
                } else {
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (end != start) {
                    throw new MalformedResponseException(ResponseHead.MISSING_CHUNK_CRLF);
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                sectionBytes += lineFeed + 1 - start;
                if (end == start) {
                    finish();
                } else if (sectionBytes >= ResponseHead.MAX_HEAD_BYTES) {
                    throw new MalformedResponseException(ResponseHead.TRAILERS_TOO_LARGE);
                }
            }
            default -> throw new IllegalStateException("not a line state: " + state);
        }
    }

    private void headEnded() {
        if (status < 200 && status != 101) { // an interim response: the real one follows
            head.reset();
            statusLineNext = true;
            sectionBytes = 0;
            return;
        }
        persistent = head.persistent();
        if (status == 101) {
            switchedProtocols = true; // never reused, whatever follows
            persistent = false;
            finish();
            return;
        }
        switch (head.framing(status, headRequest)) {
            case NONE -> finish();
            case CHUNKED -> {
                persistent &= head.contentLength() < 0; // both framings given: the peer is confused, do not trust it
                state = State.CHUNK_SIZE;
            }
            case UNTIL_CLOSE -> {
                persistent = false;
                state = State.UNTIL_CLOSE;
            }
            case LENGTH -> {
                remaining = head.contentLength();
                state = State.BODY;
                if (remaining == 0) {
                    finish();
                }
            }
        }
    }

    private int skip(int pos, int end) {
        long taken = Math.min(remaining, end - pos);
        remaining -= taken;
        if (remaining == 0) {
            if (state == State.BODY) {
                finish();
            } else {
                state = State.CHUNK_END;
            }
        }
        return pos + (int) taken;
    }

    private void finish() {
        state = State.DONE;
        reusable = persistent;
        if (carry != null && carry.length > CARRY_START_BYTES) {
            carry = null; // a long split line was rare: do not keep its buffer for every later response
        }
    }
}
