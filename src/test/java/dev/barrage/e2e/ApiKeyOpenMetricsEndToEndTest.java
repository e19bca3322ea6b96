package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With an API key but unprotected metrics, a scraper's wrong or stale key is ignored there, not a 401. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"barrage.security.api-key=s3cret-key", "barrage.security.protect-metrics=false"})
class ApiKeyOpenMetricsEndToEndTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsAndHealthAnswerWhateverKeyIsSentWhileTestsStillNeedTheRightOne() throws Exception {
        assertThat(get("/actuator/prometheus", "Bearer stale-key").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", "Bearer stale-key").statusCode()).isEqualTo(200);
        assertThat(get("/tests", "Bearer stale-key").statusCode()).isEqualTo(401);
        assertThat(get("/tests/abc", null).statusCode()).isEqualTo(401);
        assertThat(get("/tests", "Bearer s3cret-key").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
