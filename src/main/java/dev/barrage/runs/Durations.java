package dev.barrage.runs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration notation of the API: "250ms", "5s", "2m", "1h", "1.5s", or ISO-8601 such as "PT5S". */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message a user can act on */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            double nanosPerUnit = switch (matcher.group(2)) {
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            double nanos = amount * nanosPerUnit;
            if (nanos > Long.MAX_VALUE) {
                throw new IllegalArgumentException("duration '" + shortened(text) + "' is too long");
            }
            return Duration.ofNanos(Math.round(nanos));
        }
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                Duration iso = Duration.parse(trimmed);
                iso.toNanos(); // every duration Barrage handles fits in nanoseconds
                return iso;
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration '" + shortened(text) + "' is too long");
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + shortened(text)
                + "' is not a duration: use a number and a unit (ms, s, m, h) such as \"250ms\", \"5s\", \"2m\", or ISO-8601 such as \"PT5S\"");
    }

    /** Echoes at most 40 characters of a bad value back to the user. */
    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** The shortest exact form in the API notation: 250ms, 5s, 90s, 2m, 1h; sub-millisecond as µs. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0 && nanos != 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return (nanos / 1000) + "us";
    }
}
