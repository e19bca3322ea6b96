package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** One run at a time, two may wait, and a test may ask for at most 50 users on this server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "barrage.limits.max-running=1", "barrage.limits.max-queued=2", "barrage.limits.max-concurrency=50"})
class AdmissionEndToEndTest {

    @LocalServerPort
    int port;

    private BarrageApi barrage;
    private CountingTarget target;

    @BeforeEach
    void start() throws Exception {
        barrage = new BarrageApi(port);
        target = new CountingTarget(200, "ok");
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void runsWaitByPriorityAndAFullQueueIsA429WithRetryAfter() throws Exception {
        String running = barrage.start(definition("1h", "NORMAL"));
        String low = barrage.start(definition("1s", "LOW"));
        String high = barrage.start(definition("1s", "HIGH"));

        JsonNode lowRun = barrage.getJson("/tests/" + low);
        JsonNode highRun = barrage.getJson("/tests/" + high);
        assertThat(lowRun.get("status").asString()).isEqualTo("QUEUED");
        assertThat(lowRun.get("queuePosition").asInt()).isEqualTo(2);
        assertThat(highRun.get("queuePosition").asInt()).isEqualTo(1);

        HttpResponse<String> full = barrage.post("/tests", definition("1s", "HIGH"));
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(3000L, 3600L));
        assertThat(barrage.json(full).get("type").asString()).endsWith("/queue-full");

        HttpResponse<String> cancelled = barrage.cancel(low);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(barrage.json(cancelled).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(barrage.json(cancelled).get("summary").get("requests").asLong()).isZero();

        barrage.cancel(running);
        JsonNode highDone = barrage.awaitStatus(high, "COMPLETED", Duration.ofSeconds(30));
        assertThat(highDone.get("summary").get("requests").asLong()).isPositive();
        assertThat(highDone.has("queuePosition")).isFalse();
    }

    @Test
    void aDefinitionOverAServerLimitIsA400NamingTheSetting() throws Exception {
        HttpResponse<String> response = barrage.post("/tests", """
                {"request": {"url": "%s"}, "workload": {"concurrency": 51, "duration": "1s"}}""".formatted(target.url()));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = barrage.json(response).get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("workload.concurrency");
        assertThat(error.get("message").asString()).contains("50").contains("barrage.limits.max-concurrency");
    }

    private String definition(String duration, String priority) {
        return """
                {"request": {"url": "%s"}, "workload": {"concurrency": 1, "duration": "%s"}, "priority": "%s"}"""
                .formatted(target.url(), duration, priority);
    }
}
