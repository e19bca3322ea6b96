package dev.barrage.engine.transport;

/** Header names compared as bytes, without decoding them. Stateless. */
public final class HeaderNames {

    private HeaderNames() {
    }

    /** Whether {@code buffer[start, start + lowerCase.length)} is {@code lowerCase} (ASCII) in any letter case. */
    public static boolean sameName(byte[] buffer, int start, byte[] lowerCase) {
        for (int i = 0; i < lowerCase.length; i++) {
            byte b = buffer[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }
}
