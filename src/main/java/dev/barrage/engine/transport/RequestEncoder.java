package dev.barrage.engine.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link HttpRequestSpec} into the exact bytes sent on every exchange: request line,
 * headers and body in one array, so that an exchange is a single write. Runs once per transport;
 * rejects anything that would let a header value smuggle extra lines into the request.
 * Stateless and thread-safe.
 */
final class RequestEncoder {

    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private RequestEncoder() {
    }

    static byte[] encode(HttpRequestSpec spec, Endpoint endpoint) {
        String method = spec.method();
        requireToken(method, "method");
        Map<String, String> headers = spec.headers();
        boolean hasHost = false, hasUserAgent = false, hasAccept = false;
        boolean hasContentLength = false, hasTransferEncoding = false, hasConnection = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            requireToken(name, "header name");
            requireSafeValue(name, header.getValue());
            switch (name.toLowerCase(Locale.ROOT)) {
                case "host" -> hasHost = true;
                case "user-agent" -> hasUserAgent = true;
                case "accept" -> hasAccept = true;
                case "content-length" -> {
                    hasContentLength = true;
                    requireMatchingContentLength(header.getValue(), spec.body().length);
                }
                case "transfer-encoding" -> hasTransferEncoding = true;
                case "connection" -> hasConnection = true;
                default -> { }
            }
        }

        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(requestTarget(spec)).append(" HTTP/1.1\r\n");
        if (!hasHost) {
            line(head, "Host", endpoint.hostHeader());
        }
        headers.forEach((name, value) -> line(head, name, value));
        if (!hasUserAgent) {
            line(head, "User-Agent", "barrage");
        }
        if (!hasAccept) {
            line(head, "Accept", "*/*");
        }
        // A user-supplied Transfer-Encoding means the user framed the body; adding a length would
        // contradict it.
        boolean needsLength = spec.body().length > 0 || METHODS_WITH_BODY.contains(method);
        if (needsLength && !hasContentLength && !hasTransferEncoding) {
            line(head, "Content-Length", Integer.toString(spec.body().length));
        }
        if (!spec.keepAlive() && !hasConnection) {
            line(head, "Connection", "close");
        }
        head.append("\r\n");

        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + spec.body().length);
        System.arraycopy(spec.body(), 0, request, headBytes.length, spec.body().length);
        return request;
    }

    private static String requestTarget(HttpRequestSpec spec) {
        String path = spec.url().getRawPath();
        String query = spec.url().getRawQuery();
        String target = path == null || path.isEmpty() ? "/" : path;
        return query == null ? target : target + "?" + query;
    }

    private static void line(StringBuilder head, String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static void requireToken(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!tokenChar) {
                throw new IllegalArgumentException(
                        "invalid character 0x" + Integer.toHexString(c) + " in " + what + ": " + printable(text));
            }
        }
    }

    private static void requireSafeValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(
                        "header " + name + " contains CR, LF or NUL (header injection): " + printable(value));
            }
        }
    }

    private static void requireMatchingContentLength(String value, int bodyLength) {
        if (!value.strip().equals(Integer.toString(bodyLength))) {
            throw new IllegalArgumentException(
                    "Content-Length header " + printable(value) + " does not match the body length " + bodyLength);
        }
    }

    private static String printable(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
