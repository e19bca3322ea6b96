package dev.barrage.engine.transport;

import java.nio.charset.StandardCharsets;

/** A {@link ByteSource} that hands out fixed bytes at most {@code maxRead} at a time, then EOF. */
final class ScriptedBytes implements ByteSource {

    private final byte[] bytes;
    private final int maxRead;
    private int pos;
    private int largestRequest;

    ScriptedBytes(byte[] bytes, int maxRead) {
        this.bytes = bytes;
        this.maxRead = maxRead;
    }

    static ScriptedBytes of(String ascii, int maxRead) {
        return new ScriptedBytes(ascii.getBytes(StandardCharsets.ISO_8859_1), maxRead);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        largestRequest = Math.max(largestRequest, length);
        if (pos == bytes.length) {
            return -1;
        }
        int n = Math.min(Math.min(length, maxRead), bytes.length - pos);
        System.arraycopy(bytes, pos, buffer, offset, n);
        pos += n;
        return n;
    }

    /** The most bytes one read asked for: what the reader's buffer had room for. */
    int largestRequest() {
        return largestRequest;
    }

    int consumed() {
        return pos;
    }
}
