package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event loop's pushed parser must judge every response exactly as the pulling
 * {@link ResponseReader} does: same status, same reuse, same failure and message. Each case is fed
 * whole, byte by byte and in random pieces, against the reader's verdict on the same bytes.
 */
class ResponseParserTest {

    private final ResponseParser parser = new ResponseParser();

    /** A status and reuse, or a failure's class and message. */
    private record Verdict(int status, boolean reusable, long bytesRead, String failure) {
    }

    private static Verdict readerVerdict(byte[] response, boolean head) {
        ResponseReader reader = new ResponseReader();
        ScriptedBytes in = new ScriptedBytes(response, 1 << 20);
        try {
            int status = reader.read(in, head);
            if (in.consumed() < response.length && status != 101) {
                // bytes after the response that the reader did not happen to read yet: the loop reads them with it
                return failure(new MalformedResponseException(ResponseHead.STRAY_BYTES));
            }
            return new Verdict(status, reader.reusable(), status == 101 ? -1 : reader.bytesRead(), null);
        } catch (IOException e) {
            return failure(e);
        }
    }

    private Verdict parserVerdict(byte[] response, boolean head, List<Integer> pieces) {
        parser.start(head);
        try {
            int pos = 0;
            boolean complete = false;
            for (int piece : pieces) {
                complete = parser.feed(response, pos, piece);
                pos += piece;
            }
            if (!complete) {
                parser.endOfStream();
            }
            return new Verdict(parser.status(), parser.reusable(), parser.status() == 101 ? -1 : parser.bytesRead(), null);
        } catch (IOException e) {
            return failure(e);
        }
    }

    private static Verdict failure(IOException e) {
        return new Verdict(0, false, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private void assertSameVerdict(byte[] response, boolean head, SplittableRandom random) {
        Verdict expected = readerVerdict(response, head);
        assertThat(parserVerdict(response, head, List.of(response.length))).as("whole").isEqualTo(expected);
        if (response.length < 5_000) {
            assertThat(parserVerdict(response, head, pieces(response.length, 1, random))).as("byte by byte").isEqualTo(expected);
        }
        for (int round = 0; round < 3; round++) {
            assertThat(parserVerdict(response, head, pieces(response.length, 0, random)))
                    .as("random pieces of %s", new String(response, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        }
    }

    private static List<Integer> pieces(int length, int fixed, SplittableRandom random) {
        List<Integer> pieces = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int piece = Math.min(left, fixed > 0 ? fixed : 1 + random.nextInt(Math.max(1, Math.min(left, random.nextBoolean() ? 8 : 600))));
            pieces.add(piece);
            left -= piece;
        }
        return pieces;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1A ; q=\"x;y\"\r\nabcdefghijklmnopqrstuvwxyz\r\n000\r\nT-1: 1\r\nT-2: 2\r\n\r\n",
            "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, CHUNKED\n\n3\nabc\n0\n\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\nabcdef",
            "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-Close: close\r\n Connection: close\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframes follow",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA",
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n",
            "\r\n",
            "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\r\n0\r\n\r\n",
            "",
            "HTTP/1.1 200 OK\r\nContent-Le",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nTrailer: x\r\n",
    })
    void judgesKnownResponsesAsTheReaderDoes(String response) {
        SplittableRandom random = new SplittableRandom(response.hashCode());
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        assertSameVerdict(bytes, false, random);
        assertSameVerdict(bytes, true, random);
    }

    @Test
    void headLimitsAreTheReadersToTheByte() {
        String prefix = "HTTP/1.1 200 OK\r\nX-Big: ";
        String suffix = "\r\nContent-Length: 0\r\n\r\n";
        SplittableRandom random = new SplittableRandom(1);
        for (int over = -2; over <= 2; over++) {
            String fits = prefix + "b".repeat(ResponseHead.MAX_HEAD_BYTES - prefix.length() - suffix.length() + over) + suffix;
            assertSameVerdict(fits.getBytes(StandardCharsets.ISO_8859_1), false, random);
            String trailers = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: "
                    + "t".repeat(ResponseHead.MAX_HEAD_BYTES - 9 + over) + "\r\n\r\n";
            assertSameVerdict(trailers.getBytes(StandardCharsets.ISO_8859_1), false, random);
        }
        assertSameVerdict(("HTTP/1.1 200 OK\r\n" + "X-Header: value\r\n".repeat(5000) + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), false, random);
    }

    @Test
    void judgesRandomResponsesAsTheReaderDoes() {
        SplittableRandom random = new SplittableRandom(20261202);
        for (int i = 0; i < 3_000; i++) {
            byte[] response = RandomResponses.next(random);
            assertSameVerdict(response, random.nextInt(8) == 0, random);
        }
    }

    @Test
    void theParserIsReusedAcrossResponsesAndDropsALongCarriedLine() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "z".repeat(40_000) + "\r\nContent-Length: 1\r\n\r\n!";
        String small = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
        SplittableRandom random = new SplittableRandom(7);

        assertThat(parserVerdict(big.getBytes(StandardCharsets.ISO_8859_1), false, pieces(big.length(), 1000, random)).status())
                .isEqualTo(200);
        assertThat(parserVerdict(small.getBytes(StandardCharsets.ISO_8859_1), false, pieces(small.length(), 3, random)))
                .isEqualTo(new Verdict(202, true, small.length(), null));
    }
}
