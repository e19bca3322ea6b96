package dev.barrage.engine.scenario;

import java.util.Arrays;

/**
 * A growable byte array that a virtual user reuses for every request it builds: after the first
 * few requests it has grown to fit, and building one more allocates nothing.
 *
 * <p>Thread-safety: confined to the virtual user that owns it.
 */
public final class ByteBuilder {

    private byte[] bytes;
    private int length;

    public ByteBuilder(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Empties it, keeping its capacity. */
    public void reset() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** The backing array; bytes {@code 0..length()-1} are the content. */
    public byte[] array() {
        return bytes;
    }

    public byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    public void append(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    /** Appends {@code more[offset, offset + count)}. */
    public void append(byte[] more, int offset, int count) {
        ensure(count);
        System.arraycopy(more, offset, bytes, length, count);
        length += count;
    }

    public void append(byte[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, bytes, length, more.length);
        length += more.length;
    }

    /** Appends {@code text} as UTF-8 (a lone surrogate, which submission refuses, becomes '?'). */
    public void appendUtf8(String text) {
        int n = text.length();
        ensure(n); // one byte per character; a wider one reserves its bytes plus one for each character after it
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                ensure(n - i + 1);
                bytes[length++] = (byte) (0xC0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                ensure(n - i + 2);
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                bytes[length++] = '?';
            } else {
                ensure(n - i + 2);
                bytes[length++] = (byte) (0xE0 | (c >> 12));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** Appends the decimal digits of {@code value}. */
    public void appendDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            append("-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte swap = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = swap;
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
