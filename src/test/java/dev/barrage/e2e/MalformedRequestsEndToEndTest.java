package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.RawHttp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests no HTTP client library would send, written byte for byte: each is a client mistake, so
 * each gets a 4xx answered as problem details (never a 5xx, never an HTML page), and the service
 * answers the next request as before.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MalformedRequestsEndToEndTest {

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("an invalid percent escape in the query", "GET /tests?%zz=1 HTTP/1.1\r\n", 400),
                Arguments.of("a lone percent in the query", "GET /tests?a=% HTTP/1.1\r\n", 400),
                Arguments.of("a query that is not UTF-8", "GET /tests?a=%e9 HTTP/1.1\r\n", 400),
                Arguments.of("a bad query on health", "GET /actuator/health?%zz=1 HTTP/1.1\r\n", 400),
                Arguments.of("a bad query on the metrics", "GET /actuator/prometheus?%zz HTTP/1.1\r\n", 400),
                Arguments.of("the error path asked for directly", "GET /error HTTP/1.1\r\n", 404),
                Arguments.of("a POST to the error path", "POST /error HTTP/1.1\r\nContent-Length: 0\r\n", 404),
                Arguments.of("a NUL in the path", "GET /tests/%00 HTTP/1.1\r\n", 400),
                Arguments.of("a path parameter", "GET /tests; HTTP/1.1\r\n", 400),
                Arguments.of("a double slash", "GET //tests HTTP/1.1\r\n", 400),
                Arguments.of("an unknown method", "FOO /tests HTTP/1.1\r\n", 400),
                Arguments.of("TRACE", "TRACE /tests HTTP/1.1\r\n", 405),
                Arguments.of("a 20 kB header", "GET /tests HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n", 400),
                Arguments.of("two Content-Length headers",
                        "POST /tests HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n", 400),
                Arguments.of("an unknown path", "GET /nope HTTP/1.1\r\n", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMalformedRequestIsA4xxProblemAndTheServiceStaysUp(String name, String requestHead, int status) throws Exception {
        RawHttp.Answer answer = RawHttp.sendRaw(port, requestHead + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"
                + (requestHead.startsWith("POST /tests") ? "{}" : ""));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).startsWith("https://barrage.dev/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(RawHttp.send(port, "GET", "/actuator/health").status()).isEqualTo(200);
    }
}
