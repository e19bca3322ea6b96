package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import dev.barrage.support.CountingTarget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With an API key set, /tests and (here) /actuator/prometheus need it; health and the docs do not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"barrage.security.api-key=s3cret-key", "barrage.security.protect-metrics=true"})
class ApiKeyEndToEndTest {

    private static final String KEY = "s3cret-key";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private CountingTarget target;

    @BeforeEach
    void start() throws Exception {
        target = new CountingTarget(200, "ok".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void testsNeedTheKeyAndAMissingOrWrongKeyIsA401Problem() throws Exception {
        String definition = """
                {"request": {"url": "%s"}, "workload": {"concurrency": 1, "duration": "1s"}}""".formatted(target.url());

        HttpResponse<String> missing = send("POST", "/tests", definition, null);
        HttpResponse<String> wrong = send("POST", "/tests", definition, "Bearer not-the-key");
        HttpResponse<String> listWithoutKey = send("GET", "/tests", null, null);
        long receivedBeforeTheRightKey = target.received();
        HttpResponse<String> right = send("POST", "/tests", definition, "Bearer " + KEY);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(missing.body());
        assertThat(problem.get("type").asString()).endsWith("/unauthorized");
        assertThat(problem.get("detail").asString()).contains("Authorization: Bearer");
        assertThat(problem.get("instance").asString()).isEqualTo("/tests");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json.readTree(wrong.body()).get("detail").asString()).contains("wrong");
        assertThat(listWithoutKey.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(202);
        assertThat(receivedBeforeTheRightKey).as("refused submissions send nothing").isZero();

        // a wait is answered on an async dispatch: it still needs the key, and with it gets the ended run
        String id = json.readTree(right.body()).get("id").asString();
        assertThat(send("GET", "/tests/" + id + "?wait=15s", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/tests/" + id + "/junit", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> waited = send("GET", "/tests/" + id + "?wait=15s", null, "Bearer " + KEY);
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(json.readTree(waited.body()).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(send("GET", "/tests/" + id + "/junit", null, "Bearer " + KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndDocsStayOpenAndMetricsFollowTheSetting() throws Exception {
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health", null, "Bearer not-the-key").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v3/api-docs", null, "Bearer not-the-key").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/actuator/prometheus", null, "Bearer " + KEY).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
