package dev.barrage.runs;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short, URL-safe, unguessable run ids: 12 lowercase hex digits (48 random bits). Thread-safe. */
final class RunIds {

    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Twelve lower-case hex digits, as {@link #next()} makes them (also safe as a file name). */
    static boolean isWellFormed(String id) {
        return id.length() == 12 && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
