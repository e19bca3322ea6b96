package dev.barrage.engine.scenario;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One assertion about a step's response, counted apart from request failures (k6's way): the
 * status in a range, the body containing a text, a JSON path equal to a value or present, a header
 * equal to or containing a text, or the latency within a bound. On a request that failed without a
 * response, every check fails except one the latency alone decides.
 *
 * <p>Thread-safety: immutable.
 *
 * @param index where its passes and failures are counted
 * @param name  how it is shown ("status 200-299", "body contains NEW")
 */
public record Check(int index, String name, Kind kind, int low, int high, String text, byte[] bytes, JsonPath jsonPath,
                    String header, long maxNanos) {

    public enum Kind { STATUS, BODY_CONTAINS, JSON_EQUALS, JSON_EXISTS, JSON_ABSENT, HEADER_EQUALS, HEADER_CONTAINS, MAX_DURATION }

    public static Check status(int index, int from, int to) {
        return new Check(index, "status " + from + "-" + to, Kind.STATUS, from, to, null, null, null, null, 0);
    }

    public static Check bodyContains(int index, String text) {
        return new Check(index, "body contains " + text, Kind.BODY_CONTAINS, 0, 0, text, utf8(text), null, null, 0);
    }

    /** {@code expected} as JSON text of a scalar: a string's content, or a number, true, false or null as written. */
    public static Check jsonEquals(int index, JsonPath path, String expected) {
        return new Check(index, path + " equals " + expected, Kind.JSON_EQUALS, 0, 0, expected, null, path, null, 0);
    }

    public static Check jsonExists(int index, JsonPath path, boolean exists) {
        return new Check(index, path + (exists ? " exists" : " does not exist"), exists ? Kind.JSON_EXISTS : Kind.JSON_ABSENT,
                0, 0, null, null, path, null, 0);
    }

    public static Check headerEquals(int index, String header, String value) {
        return new Check(index, "header " + header + " equals " + value, Kind.HEADER_EQUALS, 0, 0, value, null, null,
                header.toLowerCase(Locale.ROOT), 0);
    }

    public static Check headerContains(int index, String header, String value) {
        return new Check(index, "header " + header + " contains " + value, Kind.HEADER_CONTAINS, 0, 0, value, null, null,
                header.toLowerCase(Locale.ROOT), 0);
    }

    public static Check maxDuration(int index, long maxNanos, String shown) {
        return new Check(index, "duration <= " + shown, Kind.MAX_DURATION, 0, 0, null, null, null, null, maxNanos);
    }

    boolean readsBody() {
        return kind == Kind.BODY_CONTAINS || kind == Kind.JSON_EQUALS || kind == Kind.JSON_EXISTS || kind == Kind.JSON_ABSENT;
    }

    /**
     * @param status       the response's status, or -1 when the request failed without one
     * @param latencyNanos the request's latency as recorded
     */
    boolean passes(int status, ResponseCapture response, long latencyNanos) {
        if (kind == Kind.MAX_DURATION) {
            return latencyNanos <= maxNanos;
        }
        if (status < 0 || (readsBody() && response.bodyTooLarge())) {
            return false;
        }
        return switch (kind) {
            case STATUS -> status >= low && status <= high;
            case BODY_CONTAINS -> indexOf(response.body(), response.bodyLength(), bytes) >= 0;
            case JSON_EXISTS -> jsonPath.exists(response.body(), response.bodyLength());
            case JSON_ABSENT -> !jsonPath.exists(response.body(), response.bodyLength());
            case JSON_EQUALS -> sameJsonValue(jsonPath.find(response.body(), response.bodyLength()));
            case HEADER_EQUALS -> text.equals(response.header(header));
            case HEADER_CONTAINS -> {
                String value = response.header(header);
                yield value != null && value.contains(text);
            }
            case MAX_DURATION -> throw new AssertionError();
        };
    }

    private boolean sameJsonValue(String found) {
        if (found == null) {
            return false;
        }
        if (found.equals(text)) {
            return true;
        }
        if (!looksNumeric(found) || !looksNumeric(text)) {
            return false; // no exception thrown per request for texts that are not numbers
        }
        try {
            return new BigDecimal(found).compareTo(new BigDecimal(text)) == 0; // 1 equals 1.0
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean looksNumeric(String value) {
        return !value.isEmpty() && (value.charAt(0) == '-' || (value.charAt(0) >= '0' && value.charAt(0) <= '9'));
    }

    static int indexOf(byte[] haystack, int length, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = length - needle.length;
        for (int i = 0; i <= last; i++) {
            if (haystack[i] == first && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
