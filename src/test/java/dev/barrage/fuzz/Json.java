package dev.barrage.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal mutable JSON tree for the fuzzer, able to hold what a strict parser's tree cannot:
 * duplicate keys and raw literals written as they are ({@code 1e400}, {@code 99999999999999999999},
 * even {@code NaN}). Values are {@link Obj}, {@link List}, {@link String}, {@link Number},
 * {@link Boolean}, {@link Raw} or null.
 */
final class Json {

    private Json() {
    }

    /** A JSON object: keys in order, duplicates allowed. */
    static final class Obj {
        final List<String> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        Obj put(String key, Object value) {
            int at = keys.indexOf(key);
            if (at >= 0) {
                values.set(at, value);
            } else {
                keys.add(key);
                values.add(value);
            }
            return this;
        }

        Obj add(String key, Object value) {
            keys.add(key);
            values.add(value);
            return this;
        }

        Object get(String key) {
            int at = keys.indexOf(key);
            return at < 0 ? null : values.get(at);
        }

        boolean has(String key) {
            return keys.contains(key);
        }

        void remove(int index) {
            keys.remove(index);
            values.remove(index);
        }
    }

    /** Written verbatim. */
    record Raw(String text) {
    }

    static List<Object> array(Object... items) {
        List<Object> list = new ArrayList<>();
        for (Object item : items) {
            list.add(item);
        }
        return list;
    }

    static Object copy(Object value) {
        if (value instanceof Obj obj) {
            Obj copy = new Obj();
            for (int i = 0; i < obj.keys.size(); i++) {
                copy.add(obj.keys.get(i), copy(obj.values.get(i)));
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return value;
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Obj obj -> {
                out.append('{');
                for (int i = 0; i < obj.keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(obj.keys.get(i), out);
                    out.append(':');
                    write(obj.values.get(i), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            case String text -> string(text, out);
            case Raw raw -> out.append(raw.text());
            case Double d when d.isNaN() || d.isInfinite() -> out.append(d); // deliberately not JSON
            case Number number -> out.append(number);
            case Boolean bool -> out.append(bool);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
