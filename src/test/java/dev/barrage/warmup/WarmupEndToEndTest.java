package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The start-up warm-up as a user meets it: the API answers and liveness is UP at once, readiness is
 * OUT_OF_SERVICE while the node warms up, a run submitted meanwhile waits QUEUED, then starts and
 * counts exactly what its target received. The warm-up lasts at least one slice of each model
 * (two half-second slices) and here up to 10 s: on a busy two-core machine the first requests to a
 * fresh JVM took 4 s, and a 4 s limit had ended the warm-up before the checks (CI, once). Under
 * surefire's JVM flags it ran to 20 s when that was the limit, the whole test's length.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"barrage.warmup.enabled=true", "barrage.warmup.max-duration=10s"})
class WarmupEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void aRunSubmittedDuringTheWarmupWaitsForItThenRunsAndReadinessSaysSo() throws Exception {
        BarrageApi api = new BarrageApi(port);
        try (CountingTarget target = new CountingTarget(200, "ok")) {
            String id = api.start(BarrageApi.closed(target.url(), 2, "1s"));
            JsonNode queued = api.getJson("/tests/" + id);
            HttpResponse<String> readiness = api.get("/actuator/health/readiness");
            HttpResponse<String> liveness = api.get("/actuator/health/liveness");

            assertThat(queued.path("status").asString()).isEqualTo("QUEUED");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(api.json(readiness).path("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(api.json(liveness).path("status").asString()).isEqualTo("UP");
            assertThat(target.received()).isZero();

            JsonNode done = api.awaitEnd(id, Duration.ofSeconds(60));

            assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
            long requests = done.path("summary").path("requests").asLong();
            assertThat(requests).isPositive().isEqualTo(target.received());
            assertThat(done.path("summary").path("failures").asLong()).isZero();
            HttpResponse<String> ready = api.get("/actuator/health/readiness");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(api.json(ready).path("status").asString()).isEqualTo("UP");
            api.assertHealthy();
            assertThat(api.getJson("/tests/" + id).path("startedAt").asString())
                    .isGreaterThan(queued.path("createdAt").asString());
        }
    }
}
