package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A step's whole HTTP/1.1 request as literal bytes and templates, put together per iteration into
 * one array sent in one write. The framing follows the single-request encoder: {@code Host},
 * the given headers in order, {@code User-Agent} and {@code Accept} unless given, the user's
 * cookies, {@code Content-Length} for a body (or for POST, PUT and PATCH) and
 * {@code Connection: close} without keep-alive. A request with no slot is encoded once.
 *
 * <p>Header values cannot smuggle lines in: their literal text is checked at submission, data
 * values there too, and a capture holding CR, LF or NUL fails as a capture before it is used.
 *
 * <p>Thread-safety: immutable; expansion writes only into the caller's builders.
 */
public final class RequestTemplate {

    /** A header given by the user: the bytes of {@code "Name: "} and the value's template. */
    public record Header(String name, Template value) {
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final List<String> METHODS_WITH_BODY = List.of("POST", "PUT", "PATCH");

    private final byte[] requestLineStart;
    private final Template target;
    private final byte[] afterTarget;
    private final byte[][] headerNames;
    private final Template[] headerValues;
    private final byte[] defaultHeaders;
    private final Template body;
    private final boolean lengthAlways;
    private final byte[] connectionClose;
    private final boolean cookies;
    private final byte[] literal; // the whole request, when nothing in it varies

    /**
     * @param target     the path and query ({@code /items?page={{...}}}), never the scheme or host
     * @param hostHeader the {@code Host} value, used unless the headers give one
     * @param body       null for none
     * @param cookies    whether the virtual user's cookies may be added (not when the user sets {@code Cookie})
     */
    public RequestTemplate(String method, Template target, String hostHeader, List<Header> headers, Template body,
                           boolean keepAlive, boolean cookies) {
        this.requestLineStart = ascii(method + " ");
        this.target = target;
        boolean hasHost = false, hasUserAgent = false, hasAccept = false;
        this.headerNames = new byte[headers.size()][];
        this.headerValues = new Template[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.get(i).name();
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "host" -> hasHost = true;
                case "user-agent" -> hasUserAgent = true;
                case "accept" -> hasAccept = true;
                default -> { }
            }
            headerNames[i] = ascii(name + ": ");
            headerValues[i] = headers.get(i).value();
        }
        this.afterTarget = ascii(" HTTP/1.1\r\n" + (hasHost ? "" : "Host: " + hostHeader + "\r\n"));
        this.defaultHeaders = ascii((hasUserAgent ? "" : "User-Agent: barrage\r\n") + (hasAccept ? "" : "Accept: */*\r\n"));
        this.body = body;
        this.lengthAlways = METHODS_WITH_BODY.contains(method);
        this.connectionClose = keepAlive ? new byte[0] : ascii("Connection: close\r\n");
        this.cookies = cookies;
        this.literal = !cookies && target.isLiteral() && headers.stream().allMatch(h -> h.value().isLiteral())
                && (body == null || body.isLiteral()) ? encodeLiteral() : null;
    }

    /** Whether the virtual user's cookies go with this request (not when it sets its own Cookie header). */
    public boolean takesCookies() {
        return cookies;
    }

    /** The whole request when no part of it varies, else null. */
    public byte[] literal() {
        return literal;
    }

    /**
     * Writes the request into {@code out} (reset first), the body expanded through {@code bodyScratch}.
     *
     * @param cookieHeader a complete {@code Cookie: ...\r\n} line, or null for none
     * @throws Template.MissingCaptureException when a capture the request uses was not made
     */
    public void encode(Template.Values values, byte[] cookieHeader, ByteBuilder out, ByteBuilder bodyScratch) {
        out.reset();
        out.append(requestLineStart);
        target.expandInto(values, out);
        out.append(afterTarget);
        for (int i = 0; i < headerNames.length; i++) {
            out.append(headerNames[i]);
            headerValues[i].expandInto(values, out);
            out.append(CRLF);
        }
        out.append(defaultHeaders);
        if (cookieHeader != null && cookies) {
            out.append(cookieHeader);
        }
        int bodyLength = 0;
        if (body != null) {
            bodyScratch.reset();
            body.expandInto(values, bodyScratch);
            bodyLength = bodyScratch.length();
        }
        if (bodyLength > 0 || lengthAlways) {
            out.append(CONTENT_LENGTH);
            out.appendDecimal(bodyLength);
            out.append(CRLF);
        }
        out.append(connectionClose);
        out.append(CRLF);
        if (bodyLength > 0) {
            out.append(bodyScratch.array(), 0, bodyLength);
        }
    }

    private byte[] encodeLiteral() {
        ByteBuilder out = new ByteBuilder(256);
        encode(NO_VALUES, null, out, new ByteBuilder(64));
        return out.toArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Literal templates ask for nothing. */
    private static final Template.Values NO_VALUES = new Template.Values() {
        @Override
        public String data(int field) {
            throw new IllegalStateException();
        }

        @Override
        public String capture(int index) {
            throw new IllegalStateException();
        }

        @Override
        public int vu() {
            throw new IllegalStateException();
        }

        @Override
        public long iteration() {
            throw new IllegalStateException();
        }

        @Override
        public java.util.SplittableRandom random() {
            throw new IllegalStateException();
        }

        @Override
        public long epochMillis() {
            throw new IllegalStateException();
        }
    };
}
