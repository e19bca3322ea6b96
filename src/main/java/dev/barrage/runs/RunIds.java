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
}
