package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser against in-memory responses. Every case runs with reads of 1 byte, a few bytes and
 * everything at once, so each boundary (inside the status line, a header name, a CRLF, a chunk
 * size) is crossed by a read somewhere.
 */
class ResponseReaderTest {

    private final ResponseReader reader = new ResponseReader();

    private record Outcome(int status, boolean reusable, long bytesRead, int consumed) {
    }

    private Outcome read(String response, int maxRead, boolean head) throws IOException {
        ScriptedBytes in = ScriptedBytes.of(response, maxRead);
        int status = reader.read(in, head);
        return new Outcome(status, reader.reusable(), reader.bytesRead(), in.consumed());
    }

    private Outcome read(String response, int maxRead) throws IOException {
        return read(response, maxRead, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1 << 20})
    void contentLengthBodyIsConsumedExactly(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

        Outcome outcome = read(response, maxRead);

        assertThat(outcome).isEqualTo(new Outcome(200, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void zeroLengthBody(int maxRead) throws IOException {
        String response = "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(404, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 1 << 20})
    void chunkedBodyWithExtensionsAndTrailers(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1A ; quoted=\"x;y\"\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                + "000\r\nTrailer-One: 1\r\nTrailer-Two: 2\r\n\r\n";

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void chunkedWithBareLineFeedsAndNoTrailers(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\nTransfer-Encoding: gzip, CHUNKED\n\n3\nabc\n0\n\n";

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void bodyWithoutLengthIsReadUntilCloseAndEndsTheConnection(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "x".repeat(40_000);

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, false, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void unknownTransferCodingIsReadUntilClose(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\nabcdef";

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, false, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void largeContentLengthBodyIsDiscardedThroughTheSmallBuffer(int maxRead) throws IOException {
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
        String response = head + "y".repeat(100_000);

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"204 No Content", "304 Not Modified"})
    void noBodyStatusesIgnoreFramingHeaders(String statusLine) throws IOException {
        String response = "HTTP/1.1 " + statusLine + "\r\nContent-Length: 10\r\n\r\n";

        Outcome outcome = read(response, 1 << 20);

        assertThat(outcome.reusable()).isTrue();
        assertThat(outcome.consumed()).isEqualTo(response.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void headResponseHasNoBodyWhateverItsLengthSays(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n";

        assertThat(read(response, maxRead, true)).isEqualTo(new Outcome(200, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void interimResponsesAreSkipped(int maxRead) throws IOException {
        String response = "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";

        assertThat(read(response, maxRead)).isEqualTo(new Outcome(201, true, response.length(), response.length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
    })
    void responsesThatEndTheConnection(String response) throws IOException {
        assertThat(read(response, 1 << 20).reusable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-Close: close\r\n Connection: close\r\nContent-Length: 0\r\n\r\n",
    })
    void responsesThatKeepTheConnection(String response) throws IOException {
        assertThat(read(response, 1 << 20).reusable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void bytesArrivingWithTheResponseBeyondItsEndMakeItMalformed(int maxRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";

        if (maxRead == 1) {
            // read byte by byte, the extra bytes are still unread when the response ends: the
            // session's probe of the idle connection finds them before it is reused
            assertThat(read(response, maxRead)).isEqualTo(new Outcome(200, true, response.length() - 5, response.length() - 5));
        } else {
            assertThatThrownBy(() -> read(response, maxRead))
                    .isInstanceOf(MalformedResponseException.class).hasMessageContaining("beyond the end");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void headersUpToTheLimitAreAccepted(int maxRead) throws IOException {
        String prefix = "HTTP/1.1 200 OK\r\nX-Big: ";
        String suffix = "\r\nContent-Length: 0\r\n\r\n";
        String response = prefix + "b".repeat(ResponseReader.MAX_HEAD_BYTES - prefix.length() - suffix.length()) + suffix;

        assertThat(read(response, maxRead).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void headersBeyondTheLimitAreMalformed(int maxRead) {
        String prefix = "HTTP/1.1 200 OK\r\nX-Big: ";
        String suffix = "\r\nContent-Length: 0\r\n\r\n";
        String response = prefix + "b".repeat(ResponseReader.MAX_HEAD_BYTES - prefix.length() - suffix.length() + 1) + suffix;

        assertThatThrownBy(() -> read(response, maxRead)).isInstanceOf(MalformedResponseException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void manySmallHeadersBeyondTheLimitAreMalformed(int maxRead) {
        String response = "HTTP/1.1 200 OK\r\n" + "X-Header: value\r\n".repeat(5000) + "\r\n";

        assertThatThrownBy(() -> read(response, maxRead)).isInstanceOf(MalformedResponseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "HTTP/1.1  200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/1.1 abc OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "http/1.1 200 OK\r\n\r\n",
            "SSH-2.0-OpenSSH_9.6\r\n",
            "\r\n",
            "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    })
    void malformedResponses(String response) {
        assertThatThrownBy(() -> read(response, 1 << 20)).isInstanceOf(MalformedResponseException.class);
        assertThatThrownBy(() -> read(response, 1)).isInstanceOf(MalformedResponseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "HTTP/1.1 200 OK\r\nContent-Le",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nTrailer: x\r\n",
    })
    void truncatedResponsesEndWithEof(String response) {
        assertThatThrownBy(() -> read(response, 1 << 20)).isInstanceOf(EOFException.class);
        assertThat(reader.bytesRead()).isEqualTo(response.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 20})
    void theBufferIsReusedAcrossResponses(int maxRead) throws IOException {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "z".repeat(40_000) + "\r\nContent-Length: 1\r\n\r\n!";
        String small = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";

        assertThat(read(big, maxRead).status()).isEqualTo(200);
        assertThat(read(small, maxRead)).isEqualTo(new Outcome(202, true, small.length(), small.length()));
    }

    @Test
    void smallResponsesKeepTheBufferSmall() throws IOException {
        String small = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 3\r\n\r\nok\n";
        int largestRequest = 0;

        for (int i = 0; i < 50; i++) {
            ScriptedBytes in = ScriptedBytes.of(small, 1 << 20);
            assertThat(reader.read(in, false)).isEqualTo(200);
            largestRequest = Math.max(largestRequest, in.largestRequest());
        }

        assertThat(largestRequest).isEqualTo(ResponseReader.INITIAL_BUFFER_BYTES);
    }

    @ParameterizedTest
    @CsvSource({"2000, 2048", "3000, 4096", "6000, 8192", "100000, 16384"})
    void whatIsLeftOfALargerBodyGrowsTheBufferToItsSizeUpToTheBodyBufferBound(int bodyBytes, int expectedLargestRead) throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: " + bodyBytes + "\r\n\r\n" + "b".repeat(bodyBytes);
        ScriptedBytes in = ScriptedBytes.of(response, 1 << 20);

        assertThat(reader.read(in, false)).isEqualTo(200);

        assertThat(in.consumed()).isEqualTo(response.length());
        assertThat(in.largestRequest()).isEqualTo(expectedLargestRead);
        assertThat(ResponseReader.BODY_BUFFER_BYTES).isEqualTo(16384);
    }

    @Test
    void aBodyReadUntilCloseUsesTheBodyBuffer() throws IOException {
        String response = "HTTP/1.0 200 OK\r\n\r\n" + "c".repeat(50_000);
        ScriptedBytes in = ScriptedBytes.of(response, 1 << 20);

        assertThat(reader.read(in, false)).isEqualTo(200);

        assertThat(reader.bytesRead()).isEqualTo(response.length());
        assertThat(in.largestRequest()).isEqualTo(ResponseReader.BODY_BUFFER_BYTES);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1 << 20})
    void aHeadLongerThanTheInitialBufferGrowsItInsteadOfCompactingEveryRead(int maxRead) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 100; i++) {
            head.append("X-Header-").append(i).append(": ").append("v".repeat(40)).append("\r\n");
        }
        String response = head + "Content-Length: 2\r\n\r\nok";
        ScriptedBytes in = ScriptedBytes.of(response, maxRead);

        assertThat(reader.read(in, false)).isEqualTo(200);

        assertThat(in.consumed()).isEqualTo(response.length());
        assertThat(reader.reusable()).isTrue();
        assertThat(in.largestRequest()).isGreaterThan(ResponseReader.INITIAL_BUFFER_BYTES)
                .isLessThanOrEqualTo(ResponseReader.BODY_BUFFER_BYTES);
    }
}
