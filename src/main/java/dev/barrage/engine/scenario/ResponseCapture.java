package dev.barrage.engine.scenario;

import dev.barrage.engine.transport.HeaderNames;
import dev.barrage.engine.transport.ResponseListener;
import java.nio.charset.StandardCharsets;

/**
 * What a virtual user keeps of one response for the step's captures and checks: the values of the
 * headers the step names, and the body up to a bounded size when the step reads it. Set-Cookie
 * headers go to the user's cookie jar. Steps that read nothing are never given one, so their
 * responses stay discarded unseen.
 *
 * <p>Thread-safety: confined to its virtual user's thread and reused for each of its steps.
 */
public final class ResponseCapture implements ResponseListener {

    private static final byte[] SET_COOKIE = "set-cookie".getBytes(StandardCharsets.US_ASCII);

    private final int maxBodyBytes;
    private final ByteBuilder body = new ByteBuilder(256);
    private String[] headerNames = new String[0];
    private byte[][] headerNameBytes = new byte[0][];
    private final String[] headerValues = new String[Step.MAX_HEADERS_READ];
    private boolean wantsBody;
    private boolean bodyTooLarge;
    private CookieJar cookies;
    private int cookieTarget;

    public ResponseCapture(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Prepares for the response to {@code step}; {@code cookies} is null when the test keeps none. */
    void begin(Step step, CookieJar cookies) {
        this.headerNames = step.headersRead();
        this.headerNameBytes = step.headerNameBytes();
        this.wantsBody = step.readsBody();
        this.cookies = cookies;
        this.cookieTarget = step.target();
        clear();
    }

    private void clear() {
        java.util.Arrays.fill(headerValues, null);
        body.reset();
        bodyTooLarge = false;
    }

    @Override
    public void headStarted(int status) {
        clear();
    }

    @Override
    public void header(byte[] buffer, int nameStart, int nameEnd, int valueStart, int valueEnd) {
        for (int i = 0; i < headerNameBytes.length; i++) {
            if (headerValues[i] == null && nameIs(buffer, nameStart, nameEnd, headerNameBytes[i])) {
                headerValues[i] = new String(buffer, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
            }
        }
        if (cookies != null && nameIs(buffer, nameStart, nameEnd, SET_COOKIE)) {
            cookies.accept(cookieTarget, new String(buffer, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean wantsBody() {
        return wantsBody;
    }

    @Override
    public void body(byte[] buffer, int offset, int length) {
        int room = maxBodyBytes - body.length();
        if (length > room) {
            bodyTooLarge = true;
            length = Math.max(room, 0);
        }
        body.append(buffer, offset, length);
    }

    /** The first value of the header (its name in lower case), or null when the response had none. */
    String header(String lowerCaseName) {
        for (int i = 0; i < headerNames.length; i++) {
            if (headerNames[i].equals(lowerCaseName)) {
                return headerValues[i];
            }
        }
        return null;
    }

    byte[] body() {
        return body.array();
    }

    int bodyLength() {
        return body.length();
    }

    /** Whether the body was longer than the limit, so only its start was kept. */
    boolean bodyTooLarge() {
        return bodyTooLarge;
    }

    private static boolean nameIs(byte[] buffer, int start, int end, byte[] lowerCase) {
        return end - start == lowerCase.length && HeaderNames.sameName(buffer, start, lowerCase);
    }
}
