package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted path with {@code [n]} indexes ({@code $.items[0].id}), found by streaming over a
 * response body: members and elements off the path are skipped without being decoded, and no
 * tree of the document is built. Only the value at the path is turned into a string.
 *
 * <p>A body that is not well-formed JSON where the path leads simply has no value there: the
 * capture or check fails, the request does not.
 *
 * <p>Thread-safety: immutable; one path serves every virtual user at once.
 */
public final class JsonPath {

    /** One step of the path: a member name (UTF-8) or an array index. */
    private record Step(byte[] name, int index) {
    }

    private final String text;
    private final Step[] steps;

    private JsonPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps.toArray(Step[]::new);
    }

    /**
     * @param path {@code $} optionally first, then {@code .name} and {@code [n]} steps
     * @throws IllegalArgumentException when the path is not of that form
     */
    public static JsonPath compile(String path) {
        String rest = path.startsWith("$") ? path.substring(1) : path.startsWith(".") || path.startsWith("[") ? path : "." + path;
        List<Step> steps = new ArrayList<>();
        int at = 0;
        while (at < rest.length()) {
            char c = rest.charAt(at);
            if (c == '.') {
                int end = at + 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                if (end == at + 1) {
                    throw new IllegalArgumentException("'" + path + "': an empty member name at character " + (at + 1));
                }
                steps.add(new Step(rest.substring(at + 1, end).getBytes(StandardCharsets.UTF_8), -1));
                at = end;
            } else if (c == '[') {
                int close = rest.indexOf(']', at);
                int index;
                try {
                    index = close < 0 ? -1 : Integer.parseInt(rest.substring(at + 1, close));
                } catch (NumberFormatException e) {
                    index = -1;
                }
                if (index < 0) {
                    throw new IllegalArgumentException("'" + path + "': write an array index as [n] with n >= 0");
                }
                steps.add(new Step(null, index));
                at = close + 1;
            } else {
                throw new IllegalArgumentException("'" + path + "': expected '.' or '[' at character " + (at + 1));
            }
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("'" + path + "' names no member or element: write it as $.name or $.list[0]");
        }
        return new JsonPath(path, steps);
    }

    /**
     * The value at the path in {@code body[0..length)}: a string's content unescaped, a number, true,
     * false or null as written, an object or array as its JSON text; null when the path leads nowhere.
     */
    public String find(byte[] body, int length) {
        int start = locate(body, length);
        if (start < 0) {
            return null;
        }
        if (body[start] == '"') {
            return Strings.decode(body, start, length);
        }
        int end = Skipper.skipValue(body, start, length);
        return end < 0 ? null : new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** Whether the path leads to a value (of any kind, null included), without decoding it. */
    public boolean exists(byte[] body, int length) {
        int start = locate(body, length);
        return start >= 0 && Skipper.skipValue(body, start, length) >= 0;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Where the value at the path starts, or -1. */
    private int locate(byte[] body, int length) {
        int at = Skipper.whitespace(body, 0, length);
        for (Step step : steps) {
            at = step.name() != null ? member(body, at, length, step.name()) : element(body, at, length, step.index());
            if (at < 0) {
                return -1;
            }
        }
        return at < length ? at : -1;
    }

    private static int member(byte[] body, int at, int length, byte[] name) {
        if (at >= length || body[at] != '{') {
            return -1;
        }
        at = Skipper.whitespace(body, at + 1, length);
        while (at < length && body[at] == '"') {
            int keyEnd = Skipper.skipString(body, at, length);
            if (keyEnd < 0) {
                return -1;
            }
            boolean matches = Strings.equals(body, at, keyEnd, name);
            at = Skipper.whitespace(body, keyEnd, length);
            if (at >= length || body[at] != ':') {
                return -1;
            }
            at = Skipper.whitespace(body, at + 1, length);
            if (matches) {
                return at;
            }
            at = Skipper.skipValue(body, at, length);
            if (at < 0) {
                return -1;
            }
            at = Skipper.whitespace(body, at, length);
            if (at >= length || body[at] != ',') {
                return -1; // '}' (no such member) or malformed
            }
            at = Skipper.whitespace(body, at + 1, length);
        }
        return -1;
    }

    private static int element(byte[] body, int at, int length, int index) {
        if (at >= length || body[at] != '[') {
            return -1;
        }
        at = Skipper.whitespace(body, at + 1, length);
        if (at < length && body[at] == ']') {
            return -1;
        }
        for (int i = 0; i < index; i++) {
            at = Skipper.skipValue(body, at, length);
            if (at < 0) {
                return -1;
            }
            at = Skipper.whitespace(body, at, length);
            if (at >= length || body[at] != ',') {
                return -1; // the array is shorter
            }
            at = Skipper.whitespace(body, at + 1, length);
        }
        return at;
    }

    /** Skips JSON values without decoding them; every method answers -1 for malformed input. */
    static final class Skipper {

        private Skipper() {
        }

        static int whitespace(byte[] body, int at, int length) {
            while (at < length && (body[at] == ' ' || body[at] == '\n' || body[at] == '\r' || body[at] == '\t')) {
                at++;
            }
            return at;
        }

        /** From an opening quote to just past its closing quote. */
        static int skipString(byte[] body, int at, int length) {
            for (int i = at + 1; i < length; i++) {
                if (body[i] == '\\') {
                    i++;
                } else if (body[i] == '"') {
                    return i + 1;
                }
            }
            return -1;
        }

        /** Just past the value starting at {@code at}; nesting is counted, not recursed, so depth is no risk. */
        static int skipValue(byte[] body, int at, int length) {
            if (at >= length) {
                return -1;
            }
            byte first = body[at];
            if (first == '"') {
                return skipString(body, at, length);
            }
            if (first != '{' && first != '[') {
                int end = at;
                while (end < length && isScalarByte(body[end])) {
                    end++;
                }
                return end == at ? -1 : end;
            }
            int depth = 0;
            for (int i = at; i < length; i++) {
                byte b = body[i];
                if (b == '"') {
                    i = skipString(body, i, length) - 1;
                    if (i < 0) {
                        return -1;
                    }
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
            }
            return -1;
        }

        private static boolean isScalarByte(byte b) {
            return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || b == '-' || b == '+' || b == '.' || b == 'E';
        }
    }

    /** JSON string decoding and comparison. */
    static final class Strings {

        private Strings() {
        }

        /** Whether the string token {@code body[start..end)} (quotes included) spells {@code name}. */
        static boolean equals(byte[] body, int start, int end, byte[] name) {
            int contentLength = end - start - 2;
            boolean escaped = false;
            for (int i = start + 1; i < end - 1; i++) {
                if (body[i] == '\\') {
                    escaped = true;
                    break;
                }
            }
            if (!escaped) {
                return contentLength == name.length
                        && java.util.Arrays.equals(body, start + 1, end - 1, name, 0, name.length);
            }
            String decoded = decode(body, start, end);
            return decoded != null && decoded.equals(new String(name, StandardCharsets.UTF_8));
        }

        /** The content of the string token starting at {@code start}, unescaped; null when malformed. */
        static String decode(byte[] body, int start, int length) {
            int end = Skipper.skipString(body, start, length);
            if (end < 0) {
                return null;
            }
            int from = start + 1;
            int to = end - 1;
            boolean escaped = false;
            for (int i = from; i < to; i++) {
                if (body[i] == '\\') {
                    escaped = true;
                    break;
                }
            }
            if (!escaped) {
                return new String(body, from, to - from, StandardCharsets.UTF_8);
            }
            StringBuilder text = new StringBuilder(to - from);
            int run = from; // start of a stretch of bytes without escapes
            for (int i = from; i < to; i++) {
                if (body[i] != '\\') {
                    continue;
                }
                text.append(new String(body, run, i - run, StandardCharsets.UTF_8));
                if (i + 1 >= to) {
                    return null;
                }
                byte e = body[++i];
                switch (e) {
                    case '"', '\\', '/' -> text.append((char) e);
                    case 'b' -> text.append('\b');
                    case 'f' -> text.append('\f');
                    case 'n' -> text.append('\n');
                    case 'r' -> text.append('\r');
                    case 't' -> text.append('\t');
                    case 'u' -> {
                        if (i + 4 >= to) {
                            return null; // fewer than four hex digits left
                        }
                        int code;
                        try {
                            code = Integer.parseInt(new String(body, i + 1, 4, StandardCharsets.US_ASCII), 16);
                        } catch (NumberFormatException | IndexOutOfBoundsException ex) {
                            return null;
                        }
                        text.append((char) code);
                        i += 4;
                    }
                    default -> {
                        return null;
                    }
                }
                run = i + 1;
            }
            text.append(new String(body, run, to - run, StandardCharsets.UTF_8));
            return text.toString();
        }
    }
}
