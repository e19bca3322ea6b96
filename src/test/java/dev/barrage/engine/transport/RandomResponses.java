package dev.barrage.engine.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Random HTTP/1.x responses, valid and not: framings, interim heads, odd line endings, truncations, corruptions. */
final class RandomResponses {

    private static final int[] STATUSES = {200, 200, 201, 204, 301, 304, 404, 500, 101, 100, 103};

    private RandomResponses() {
    }

    static byte[] next(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String eol = random.nextInt(5) == 0 ? "\n" : "\r\n";
        if (random.nextInt(6) == 0) {
            write(out, "HTTP/1.1 100 Continue" + eol + eol);
        }
        int status = STATUSES[random.nextInt(STATUSES.length)];
        write(out, "HTTP/1." + (random.nextInt(4) == 0 ? "0" : "1") + " " + status + (random.nextBoolean() ? " Reason" : "") + eol);
        int bodyLength = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(64);
        int framing = random.nextInt(4); // 0 length, 1 chunked, 2 until close, 3 both
        if (framing == 0 || framing == 3) {
            write(out, (random.nextBoolean() ? "Content-Length: " : "content-length:") + bodyLength + eol);
        }
        if (framing == 1 || framing == 3) {
            write(out, "Transfer-Encoding: " + (random.nextInt(5) == 0 ? "gzip" : "chunked") + eol);
        }
        switch (random.nextInt(6)) {
            case 0 -> write(out, "Connection: close" + eol);
            case 1 -> write(out, "Connection: keep-alive" + eol);
            default -> { }
        }
        for (int h = random.nextInt(4); h > 0; h--) {
            write(out, "X-H" + h + ": " + "v".repeat(random.nextInt(300)) + eol);
        }
        write(out, eol);
        if (framing == 1) {
            int left = bodyLength;
            while (left > 0) {
                int chunk = 1 + random.nextInt(left);
                write(out, Integer.toHexString(chunk) + (random.nextInt(4) == 0 ? ";ext=1" : "") + eol);
                write(out, "c".repeat(chunk) + eol);
                left -= chunk;
            }
            write(out, "0" + eol + (random.nextBoolean() ? "Trailer: t" + eol : "") + eol);
        } else {
            write(out, "b".repeat(bodyLength));
        }
        byte[] bytes = out.toByteArray();
        switch (random.nextInt(8)) {
            case 0 -> { // truncated
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 1 -> { // one byte corrupted
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] = (byte) " \r\n:;0aZ\t".charAt(random.nextInt(9));
                }
                return bytes;
            }
            case 2 -> { // bytes beyond the response
                ByteArrayOutputStream longer = new ByteArrayOutputStream();
                longer.writeBytes(bytes);
                write(longer, "HTTP/1.1 200 OK" + eol);
                return longer.toByteArray();
            }
            default -> {
                return bytes;
            }
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
