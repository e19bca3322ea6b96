package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cookies the targets set for one virtual user, sent back to the same target (host and port)
 * as browsers, k6 and Gatling do. Kept simply: a cookie is replaced by a later one of the same name,
 * removed by {@code Max-Age} of 0 or less or an {@code Expires} in the past, and sent on every
 * path of its target ({@code Path} and {@code Domain} are not scoped further).
 *
 * <p>Thread-safety: confined to its virtual user's thread.
 */
public final class CookieJar {

    /** A target sets at most this many cookies; later ones are ignored, so memory stays bounded. */
    static final int MAX_COOKIES_PER_TARGET = 50;
    static final int MAX_COOKIE_CHARS = 4096;

    private final Map<String, String>[] cookies;
    private final byte[][] header;

    @SuppressWarnings("unchecked")
    public CookieJar(int targets) {
        this.cookies = new Map[targets];
        this.header = new byte[targets][];
    }

    /** Forgets every cookie (an open-model iteration starts with none). */
    public void clear() {
        for (int i = 0; i < cookies.length; i++) {
            if (cookies[i] != null) {
                cookies[i].clear();
                header[i] = null;
            }
        }
    }

    /** The {@code Cookie: ...\r\n} line for the target, or null when it set none. */
    byte[] headerFor(int target) {
        Map<String, String> jar = cookies[target];
        if (jar == null || jar.isEmpty()) {
            return null;
        }
        if (header[target] == null) {
            StringBuilder line = new StringBuilder("Cookie: ");
            jar.forEach((name, value) -> line.append(name).append('=').append(value).append("; "));
            line.setLength(line.length() - 2);
            header[target] = line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        }
        return header[target];
    }

    /** Takes in one {@code Set-Cookie} value from the target. */
    void accept(int target, String setCookie) {
        if (setCookie.length() > MAX_COOKIE_CHARS) {
            return;
        }
        String[] attributes = setCookie.split(";");
        int equals = attributes[0].indexOf('=');
        if (equals <= 0) {
            return;
        }
        String name = attributes[0].substring(0, equals).strip();
        String value = attributes[0].substring(equals + 1).strip();
        if (name.isEmpty() || !safe(name) || !safe(value)) {
            return;
        }
        Map<String, String> jar = cookies[target];
        if (jar == null) {
            jar = cookies[target] = new LinkedHashMap<>();
        }
        header[target] = null;
        if (expired(attributes)) {
            jar.remove(name);
        } else if (jar.containsKey(name) || jar.size() < MAX_COOKIES_PER_TARGET) {
            jar.put(name, value);
        }
    }

    private static boolean expired(String[] attributes) {
        for (int i = 1; i < attributes.length; i++) {
            String attribute = attributes[i].strip();
            String lower = attribute.toLowerCase(Locale.ROOT);
            if (lower.startsWith("max-age=")) {
                try {
                    return Long.parseLong(attribute.substring(8).strip()) <= 0; // Max-Age wins over Expires
                } catch (NumberFormatException e) {
                    continue;
                }
            }
        }
        for (int i = 1; i < attributes.length; i++) {
            String attribute = attributes[i].strip();
            if (attribute.toLowerCase(Locale.ROOT).startsWith("expires=")) {
                ZonedDateTime expires = cookieDate(attribute.substring(8).strip());
                return expires != null && !expires.isAfter(ZonedDateTime.now(expires.getZone()));
            }
        }
        return false;
    }

    /** An Expires date in RFC 1123 form, or in the dashed form many servers write ("Thu, 01-Jan-1970 ..."). */
    private static ZonedDateTime cookieDate(String text) {
        try {
            String spaced = text.replaceFirst("^(\\w{3}, \\d{1,2})-(\\w{3})-(\\d{4})", "$1 $2 $3");
            return ZonedDateTime.parse(spaced, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** No control characters, so a cookie cannot smuggle lines into the requests it rides on. */
    private static boolean safe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }
}
