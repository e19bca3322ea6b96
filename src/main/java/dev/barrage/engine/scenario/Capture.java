package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes one value from a response for later steps: at a JSON path, of a header, or the first group
 * of a regular expression (compiled once, at submission). A capture that finds nothing, or finds a
 * value with CR, LF or NUL in it (which could smuggle lines into a later request), fails.
 *
 * <p>Thread-safety: immutable.
 *
 * @param name  how the capture is named among the checks ("capture token")
 * @param slot  where the virtual user keeps the value
 * @param check the check index its success or failure is counted under
 */
public record Capture(String name, int slot, int check, JsonPath jsonPath, String header, Pattern regex) {

    public static Capture jsonPath(String as, int slot, int check, JsonPath path) {
        return new Capture("capture " + as, slot, check, path, null, null);
    }

    public static Capture header(String as, int slot, int check, String header) {
        return new Capture("capture " + as, slot, check, null, header.toLowerCase(Locale.ROOT), null);
    }

    /** @throws IllegalArgumentException when the expression has no group to capture */
    public static Capture regex(String as, int slot, int check, Pattern regex) {
        if (regex.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("the regular expression needs a group, such as \"id=(\\\\d+)\"; its first group is captured");
        }
        return new Capture("capture " + as, slot, check, null, null, regex);
    }

    boolean readsBody() {
        return header == null;
    }

    /** The value in the response, or null when there is none (or it is unsafe to send on). */
    String extract(ResponseCapture response) {
        String value;
        if (header != null) {
            value = response.header(header);
        } else if (response.bodyTooLarge()) {
            value = null;
        } else if (jsonPath != null) {
            value = jsonPath.find(response.body(), response.bodyLength());
        } else {
            Matcher matcher = regex.matcher(new Latin1(response.body(), response.bodyLength()));
            value = matcher.find() && matcher.group(1) != null ? utf8(response.body(), matcher.start(1), matcher.end(1)) : null;
        }
        return value == null || unsafe(value) ? null : value;
    }

    private static boolean unsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return true;
            }
        }
        return false;
    }

    private static String utf8(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * The body as one char per byte, so a regular expression runs over it without decoding it;
     * what it captures is decoded as UTF-8 from the same offsets.
     */
    record Latin1(byte[] bytes, int length) implements CharSequence {

        @Override
        public char charAt(int index) {
            return (char) (bytes[index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}
