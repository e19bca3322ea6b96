package dev.barrage.engine.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The facts of one HTTP/1.1 response head that decide how its body is framed and whether its
 * connection may be reused, parsed line by line out of whichever buffer holds the line: the pulling
 * {@link ResponseReader}'s own, or the event loop's shared read buffer for the pushed
 * {@link ResponseParser}. One set of rules for both, so the two paths cannot disagree on a response.
 *
 * <p>Thread-safety: confined to the reader or parser that owns it.
 */
final class ResponseHead {

    /** Upper bound for the status line plus headers, and separately for chunked trailers. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    static final String HEAD_TOO_LARGE = "response head exceeds " + MAX_HEAD_BYTES + " bytes";
    static final String TRAILERS_TOO_LARGE = "chunked trailers exceed " + MAX_HEAD_BYTES + " bytes";
    static final String CHUNK_LINE_TOO_LONG = "chunk size line too long";
    static final String MISSING_CHUNK_CRLF = "chunk data not followed by CRLF";
    static final String STRAY_BYTES = "bytes beyond the end of the response";

    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");

    private int minorVersion;
    private long contentLength;
    private boolean transferEncoded;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;

    /** How the body after a complete head is delimited. */
    enum Framing { NONE, CHUNKED, UNTIL_CLOSE, LENGTH }

    /** Forgets the previous head: a new one (an interim response's successor, or the next response) begins. */
    void reset() {
        minorVersion = 1;
        contentLength = -1;
        transferEncoded = false;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
    }

    /** Parses {@code HTTP/1.x SSS[ reason]} in {@code buffer[start, end)} (no line ending). */
    int parseStatusLine(byte[] buffer, int start, int end) throws MalformedResponseException {
        if (end - start < 12 || !regionEquals(buffer, start, HTTP_1) || !isDigit(buffer[start + 7])
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

    /** Parses one header line in {@code buffer[start, end)} (not empty, no line ending), showing it to {@code listener} if any. */
    void parseHeader(byte[] buffer, int start, int end, ResponseListener listener) throws MalformedResponseException {
        if (buffer[start] == ' ' || buffer[start] == '\t') {
            return; // obsolete line folding: continues a header we do not interpret
        }
        int colon = indexOf(buffer, (byte) ':', start, end);
        if (colon <= start) {
            throw new MalformedResponseException("header line without a name and colon");
        }
        int valueStart = skipWhitespace(buffer, colon + 1, end);
        int valueEnd = trimWhitespace(buffer, valueStart, end);
        int nameLength = colon - start;
        if (listener != null) {
            listener.header(buffer, start, colon, valueStart, valueEnd);
        }
        if (nameLength == CONTENT_LENGTH.length && HeaderNames.sameName(buffer, start, CONTENT_LENGTH)) {
            long length = parseContentLength(buffer, valueStart, valueEnd);
            if (contentLength >= 0 && contentLength != length) {
                throw new MalformedResponseException("conflicting Content-Length headers");
            }
            contentLength = length;
        } else if (nameLength == TRANSFER_ENCODING.length && HeaderNames.sameName(buffer, start, TRANSFER_ENCODING)) {
            transferEncoded = true;
            chunked = lastTokenIs(buffer, valueStart, valueEnd, CHUNKED); // the last header decides the final coding
        } else if (nameLength == CONNECTION.length && HeaderNames.sameName(buffer, start, CONNECTION)) {
            scanConnectionTokens(buffer, valueStart, valueEnd);
        }
    }

    /** Whether the connection may carry another request, as far as the head says. */
    boolean persistent() {
        return !connectionClose && (minorVersion >= 1 || connectionKeepAlive);
    }

    /** How the body of a response with {@code status} to a request (HEAD or not) is delimited. */
    Framing framing(int status, boolean headRequest) {
        if (headRequest || status == 204 || status == 304) {
            return Framing.NONE;
        }
        if (transferEncoded && chunked) {
            return Framing.CHUNKED;
        }
        return transferEncoded || contentLength < 0 ? Framing.UNTIL_CLOSE : Framing.LENGTH;
    }

    /** The Content-Length, -1 when none was given. */
    long contentLength() {
        return contentLength;
    }

    /** Parses {@code HEX[ BWS][;extensions]} in {@code buffer[start, end)} (no line ending). */
    static long parseChunkSize(byte[] buffer, int start, int end) throws MalformedResponseException {
        long size = 0;
        int i = start;
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
        if (i == start) {
            throw new MalformedResponseException("invalid chunk size");
        }
        i = skipWhitespace(buffer, i, end);
        if (i < end && buffer[i] != ';') {
            throw new MalformedResponseException("invalid chunk size");
        }
        return size;
    }

    /** The end of the line's content: {@code lineFeed}, or one before it when a CR precedes it. */
    static int withoutCr(byte[] buffer, int start, int lineFeed) {
        return lineFeed > start && buffer[lineFeed - 1] == '\r' ? lineFeed - 1 : lineFeed;
    }

    private static long parseContentLength(byte[] buffer, int start, int end) throws MalformedResponseException {
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

    private void scanConnectionTokens(byte[] buffer, int start, int end) {
        int tokenStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || buffer[i] == ',') {
                int from = skipWhitespace(buffer, tokenStart, i);
                int to = trimWhitespace(buffer, from, i);
                if (tokenEquals(buffer, from, to, CLOSE)) {
                    connectionClose = true;
                } else if (tokenEquals(buffer, from, to, KEEP_ALIVE)) {
                    connectionKeepAlive = true;
                }
                tokenStart = i + 1;
            }
        }
    }

    private static boolean lastTokenIs(byte[] buffer, int start, int end, byte[] token) {
        int lastComma = start - 1;
        for (int i = end - 1; i >= start; i--) {
            if (buffer[i] == ',') {
                lastComma = i;
                break;
            }
        }
        int from = skipWhitespace(buffer, lastComma + 1, end);
        return tokenEquals(buffer, from, trimWhitespace(buffer, from, end), token);
    }

    private static int indexOf(byte[] buffer, byte b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int skipWhitespace(byte[] buffer, int start, int end) {
        int i = start;
        while (i < end && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimWhitespace(byte[] buffer, int start, int end) {
        int i = end;
        while (i > start && (buffer[i - 1] == ' ' || buffer[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    private static boolean regionEquals(byte[] buffer, int start, byte[] expected) {
        return Arrays.equals(buffer, start, start + expected.length, expected, 0, expected.length);
    }

    /** Case-insensitive comparison against a lower-case ASCII token. */
    private static boolean tokenEquals(byte[] buffer, int start, int end, byte[] lowerCase) {
        return end - start == lowerCase.length && HeaderNames.sameName(buffer, start, lowerCase);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
