package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A text with {@code {{...}}} placeholders, compiled once at submission into literal UTF-8 bytes
 * and slots, so that expanding it per request is a copy and a few appends: no parsing, no regular
 * expression, no allocation beyond the output buffer's growth.
 *
 * <p>Placeholders: a variable ({@code {{base}}}, replaced at compile time), {@code {{data.FIELD}}},
 * a capture of an earlier step ({@code {{token}}}), and {@code $uuid}, {@code $randomInt(a,b)}
 * (inclusive), {@code $randomString(n)} (letters and digits), {@code $vu}, {@code $iteration},
 * {@code $timestamp} (epoch milliseconds). Anything else fails compilation with a message naming it.
 *
 * <p>Thread-safety: immutable; one template serves every virtual user at once.
 */
public final class Template {

    /** What a slot is filled with when the template is expanded. */
    private enum Kind { DATA, CAPTURE, UUID, RANDOM_INT, RANDOM_STRING, VU, ITERATION, TIMESTAMP }

    private record Part(byte[] literal, Kind kind, int index, int low, int high) {
    }

    /** What a template may name, known at submission. */
    public record Names(Map<String, String> variables, List<String> dataFields, List<String> captures) {
    }

    /** What one expansion fills the slots with: the virtual user's row, captures and randomness. */
    public interface Values {
        String data(int field);

        /** The capture's value; null when the step that makes it has not run in this iteration. */
        String capture(int index);

        int vu();

        long iteration();

        SplittableRandom random();

        long epochMillis();
    }

    private static final int MAX_RANDOM_STRING = 1024;
    private static final byte[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Part[] parts;
    private final boolean literal;

    private Template(List<Part> parts) {
        this.parts = parts.toArray(Part[]::new);
        this.literal = parts.stream().allMatch(part -> part.literal() != null);
    }

    /**
     * @throws IllegalArgumentException naming the first placeholder that is unknown, malformed, or a
     *                                  capture no earlier step makes
     */
    public static Template compile(String text, Names names) {
        List<Part> parts = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                pending.append(text, at, text.length());
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at character " + open + " is never closed with '}}'");
            }
            pending.append(text, at, open);
            String name = text.substring(open + 2, close).strip();
            String variable = names.variables().get(name);
            if (variable != null) {
                pending.append(variable);
            } else {
                flush(pending, parts);
                parts.add(slot(name, names));
            }
            at = close + 2;
        }
        flush(pending, parts);
        return new Template(parts);
    }

    /** Whether the template has no slot: its bytes are the same for every request. */
    public boolean isLiteral() {
        return literal;
    }

    /** The text of a literal template (for checks at submission, such as the URL's host). */
    public String literalText() {
        if (!literal) {
            throw new IllegalStateException("the template has slots");
        }
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append(new String(part.literal(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /**
     * Appends the expansion to {@code out}.
     *
     * @throws MissingCaptureException when a capture the template uses was not made in this iteration
     */
    public void expandInto(Values values, ByteBuilder out) {
        for (Part part : parts) {
            if (part.literal() != null) {
                out.append(part.literal());
                continue;
            }
            switch (part.kind()) {
                case DATA -> out.appendUtf8(values.data(part.index()));
                case CAPTURE -> {
                    String captured = values.capture(part.index());
                    if (captured == null) {
                        throw new MissingCaptureException(part.index());
                    }
                    out.appendUtf8(captured);
                }
                case UUID -> appendUuid(values.random(), out);
                case RANDOM_INT -> out.appendDecimal(values.random().nextLong(part.low(), (long) part.high() + 1));
                case RANDOM_STRING -> {
                    SplittableRandom random = values.random();
                    for (int i = 0; i < part.low(); i++) {
                        out.append(ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)]);
                    }
                }
                case VU -> out.appendDecimal(values.vu());
                case ITERATION -> out.appendDecimal(values.iteration());
                case TIMESTAMP -> out.appendDecimal(values.epochMillis());
            }
        }
    }

    private static Part slot(String name, Names names) {
        if (name.startsWith("data.")) {
            int field = names.dataFields().indexOf(name.substring(5));
            if (field < 0) {
                throw new IllegalArgumentException("{{" + name + "}}: the data has no field '" + name.substring(5)
                        + "'; its fields are " + names.dataFields());
            }
            return new Part(null, Kind.DATA, field, 0, 0);
        }
        if (name.startsWith("$")) {
            return function(name);
        }
        int capture = names.captures().indexOf(name);
        if (capture < 0) {
            throw new IllegalArgumentException("{{" + name + "}} is not a variable, a data field, a capture of an earlier"
                    + " step or a function ($uuid, $randomInt(a,b), $randomString(n), $vu, $iteration, $timestamp)");
        }
        return new Part(null, Kind.CAPTURE, capture, 0, 0);
    }

    private static Part function(String call) {
        switch (call) {
            case "$uuid":
                return new Part(null, Kind.UUID, 0, 0, 0);
            case "$vu":
                return new Part(null, Kind.VU, 0, 0, 0);
            case "$iteration":
                return new Part(null, Kind.ITERATION, 0, 0, 0);
            case "$timestamp":
                return new Part(null, Kind.TIMESTAMP, 0, 0, 0);
            default:
                break;
        }
        if (call.startsWith("$randomInt(") && call.endsWith(")")) {
            String[] bounds = call.substring(11, call.length() - 1).split(",", -1);
            if (bounds.length == 2) {
                int low = integer(bounds[0], call);
                int high = integer(bounds[1], call);
                if (low <= high) {
                    return new Part(null, Kind.RANDOM_INT, 0, low, high);
                }
            }
            throw new IllegalArgumentException("{{" + call + "}}: write $randomInt(a,b) with whole numbers a <= b");
        }
        if (call.startsWith("$randomString(") && call.endsWith(")")) {
            int length = integer(call.substring(14, call.length() - 1), call);
            if (length >= 1 && length <= MAX_RANDOM_STRING) {
                return new Part(null, Kind.RANDOM_STRING, 0, length, 0);
            }
            throw new IllegalArgumentException("{{" + call + "}}: write $randomString(n) with n from 1 to " + MAX_RANDOM_STRING);
        }
        throw new IllegalArgumentException("{{" + call + "}} is not a function: use $uuid, $randomInt(a,b),"
                + " $randomString(n), $vu, $iteration or $timestamp");
    }

    private static int integer(String text, String call) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("{{" + call + "}}: '" + text.strip() + "' is not a whole number");
        }
    }

    private static void flush(StringBuilder pending, List<Part> parts) {
        if (!pending.isEmpty()) {
            parts.add(new Part(pending.toString().getBytes(StandardCharsets.UTF_8), null, 0, 0, 0));
            pending.setLength(0);
        }
    }

    /** A random (version 4) UUID in its 36-character text form. */
    private static void appendUuid(SplittableRandom random, ByteBuilder out) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        appendHex(high >>> 32, 8, out);
        out.append((byte) '-');
        appendHex(high >>> 16, 4, out);
        out.append((byte) '-');
        appendHex(high, 4, out);
        out.append((byte) '-');
        appendHex(low >>> 48, 4, out);
        out.append((byte) '-');
        appendHex(low, 12, out);
    }

    private static void appendHex(long value, int digits, ByteBuilder out) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(int) (value >>> shift) & 0xF]);
        }
    }

    /** A capture the template uses was not made in this iteration: the iteration cannot go on. */
    public static final class MissingCaptureException extends RuntimeException {

        private final int capture;

        MissingCaptureException(int capture) {
            super("capture " + capture + " was not made in this iteration", null, false, false);
            this.capture = capture;
        }

        public int capture() {
            return capture;
        }
    }
}
