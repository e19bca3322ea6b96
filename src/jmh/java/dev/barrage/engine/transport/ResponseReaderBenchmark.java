package dev.barrage.engine.transport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ResponseReader} parsing one typical response from memory, the way a session reads it off
 * a keep-alive connection: the reader and its buffer are reused, the bytes arrive in one read
 * ({@code all}) or split in 64-byte reads ({@code split64}, a response crossing read boundaries).
 *
 * <p>{@code nginx} is what the bench target's {@code return 200} sends (Content-Length),
 * {@code chunked} what its echo-module location sends, {@code json} a 1 KB API response with
 * the headers Spring adds.
 * In the package of the reader because the transport is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ResponseReaderBenchmark {

    private static final String NGINX = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 GMT\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Content-Length: 3\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n"
            + "ok\n";

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 GMT\r\n"
            + "Content-Type: application/octet-stream\r\n"
            + "Transfer-Encoding: chunked\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n"
            + "3\r\nok\n\r\n"
            + "0\r\n\r\n";

    private static final String JSON_BODY = "{\"items\":[" + "\"x\",".repeat(252) + "\"y\"]}";

    private static final String JSON = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: application/json\r\n"
            + "Cache-Control: no-cache, no-store, max-age=0, must-revalidate\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "X-Frame-Options: DENY\r\n"
            + "Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 GMT\r\n"
            + "Content-Length: " + JSON_BODY.length() + "\r\n"
            + "\r\n"
            + JSON_BODY;

    @Param({"nginx", "chunked", "json"})
    public String response;

    @Param({"all", "split64"})
    public String delivery;

    private final ResponseReader reader = new ResponseReader();
    private Source source;

    @Setup
    public void setUp() {
        String text = switch (response) {
            case "nginx" -> NGINX;
            case "chunked" -> CHUNKED;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException(response);
        };
        source = new Source(text.getBytes(StandardCharsets.ISO_8859_1), delivery.equals("all") ? Integer.MAX_VALUE : 64);
    }

    /** Parses the response and returns its status plus the bytes counted, so nothing is dead code. */
    @Benchmark
    public long read() throws Exception {
        source.rewind();
        int status = reader.read(source, false);
        if (!reader.reusable()) {
            throw new IllegalStateException("the response should leave the connection reusable");
        }
        return status + reader.bytesRead();
    }

    /** The same bytes served again on every exchange, at most {@code maxRead} per read. */
    private static final class Source implements ByteSource {

        private final byte[] bytes;
        private final int maxRead;
        private int pos;

        Source(byte[] bytes, int maxRead) {
            this.bytes = bytes;
            this.maxRead = maxRead;
        }

        void rewind() {
            pos = 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, maxRead), bytes.length - pos);
            System.arraycopy(bytes, pos, buffer, offset, n);
            pos += n;
            return n;
        }
    }
}
