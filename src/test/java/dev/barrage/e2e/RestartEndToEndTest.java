package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.BarrageApplication;
import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** With barrage.store.path set, finished runs survive a restart, and shutdown keeps a running run's partial result. */
class RestartEndToEndTest {

    @TempDir
    Path store;

    @Test
    void finishedAndInterruptedRunsReadTheSameAfterARestart() throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok".getBytes(StandardCharsets.UTF_8))) {
            String finished;
            String interrupted;
            JsonNode finishedBefore;
            try (ConfigurableApplicationContext first = start()) {
                BarrageApi barrage = client(first);
                finished = barrage.start(closed(target.url(), "1s"));
                finishedBefore = barrage.awaitStatus(finished, "COMPLETED", Duration.ofSeconds(30));
                interrupted = barrage.start(closed(target.url(), "1h"));
                barrage.awaitStatus(interrupted, "RUNNING", Duration.ofSeconds(10));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (barrage.json(barrage.get("/tests/" + interrupted)).get("summary").get("requests").asLong() == 0
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50); // the live summary is refreshed once a second
                }
            }
            assertThat(Files.list(store).filter(file -> file.toString().endsWith(".json")).count()).isEqualTo(2);

            try (ConfigurableApplicationContext second = start()) {
                BarrageApi barrage = client(second);
                JsonNode finishedAfter = barrage.json(barrage.get("/tests/" + finished));
                JsonNode interruptedAfter = barrage.json(barrage.get("/tests/" + interrupted));

                assertThat(finishedAfter.get("summary")).isEqualTo(finishedBefore.get("summary"));
                assertThat(finishedAfter.get("definition")).isEqualTo(finishedBefore.get("definition"));
                assertThat(finishedAfter.get("finishedAt")).isEqualTo(finishedBefore.get("finishedAt"));
                assertThat(barrage.json(barrage.get("/tests/" + finished + "/timeline")).size()).isPositive();
                assertThat(interruptedAfter.get("status").asString()).isEqualTo("CANCELLED");
                assertThat(interruptedAfter.get("summary").get("requests").asLong()).isPositive();
                assertThat(barrage.get("/actuator/prometheus").body()).contains("test=\"" + finished + "\"");
            }
        }
    }

    @Test
    void aRunInProgressWhenTheProcessDiesComesBackFailedWithItsLastCheckpoint(@TempDir Path crashed) throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok".getBytes(StandardCharsets.UTF_8))) {
            String id;
            try (ConfigurableApplicationContext first = start()) {
                BarrageApi barrage = client(first);
                id = barrage.start(closed(target.url(), "1h"));
                Path checkpoint = store.resolve(id + ".json");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!Files.exists(checkpoint) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // a running run is saved every 5 s
                }
                assertThat(checkpoint).exists();
                // the file as a kill -9 would leave it: copied while the run is still going
                Files.copy(checkpoint, crashed.resolve(id + ".json"));
            }

            try (ConfigurableApplicationContext second = start(crashed)) {
                BarrageApi barrage = client(second);
                JsonNode run = barrage.json(barrage.get("/tests/" + id));

                assertThat(run.get("status").asString()).isEqualTo("FAILED");
                assertThat(run.get("finishedAt").isNull()).isFalse();
                assertThat(run.get("summary").get("requests").asLong()).isPositive();
                assertThat(run.get("failureReason").asString()).contains("The service stopped while this run was RUNNING");
                assertThat(run.get("warnings").toString()).contains("The service stopped while this run was RUNNING");
            }
        }
    }

    private ConfigurableApplicationContext start() {
        return start(store);
    }

    private ConfigurableApplicationContext start(Path storePath) {
        // run arguments, not default properties: application.yaml's server.port would override a default
        return new SpringApplicationBuilder(BarrageApplication.class)
                .run("--server.port=0", "--barrage.store.path=" + storePath, "--barrage.shutdown-wait=5s");
    }

    @Test
    void aScenarioRunReadsTheSameAfterARestartWithItsStepsChecksAndStepSeries() throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok".getBytes(StandardCharsets.UTF_8))) {
            String id;
            JsonNode before;
            String seriesBefore;
            try (ConfigurableApplicationContext first = start()) {
                BarrageApi barrage = client(first);
                id = barrage.start(scenario(target.url()));
                before = barrage.awaitStatus(id, "COMPLETED", Duration.ofSeconds(30));
                seriesBefore = stepSeries(barrage, id);
            }
            try (ConfigurableApplicationContext second = start()) {
                BarrageApi barrage = client(second);
                JsonNode after = barrage.json(barrage.get("/tests/" + id));

                assertThat(before.at("/summary/steps").size()).isEqualTo(2);
                assertThat(before.at("/summary/checks/passed").asLong()).isPositive();
                assertThat(after.get("summary")).isEqualTo(before.get("summary"));
                assertThat(after.get("definition")).isEqualTo(before.get("definition"));
                assertThat(after.get("thresholds")).isEqualTo(before.get("thresholds"));
                assertThat(stepSeries(barrage, id)).isEqualTo(seriesBefore).contains("step=\"second\"");
            }
        }
    }

    /** The run's per-step request and check samples in the scrape, sorted. */
    private static String stepSeries(BarrageApi barrage, String id) throws Exception {
        return barrage.get("/actuator/prometheus").body().lines()
                .filter(line -> line.contains("test=\"" + id + "\"") && line.contains("step=")
                        && (line.startsWith("load_tester_requests_total") || line.startsWith("load_tester_checks_total")))
                .sorted().reduce("", (a, b) -> a + b + "\n");
    }

    private static String scenario(String url) {
        return """
                {"scenarios": [{"name": "two steps", "steps": [
                   {"name": "first", "request": {"url": "%s?n={{$iteration}}"},
                    "capture": [{"regex": "(o)k", "as": "letter"}], "checks": [{"status": [200, 299]}]},
                   {"name": "second", "request": {"url": "%s?l={{letter}}"}, "checks": [{"bodyContains": "ok"}]}]}],
                 "workload": {"concurrency": 2, "duration": "1s"},
                 "thresholds": ["checks >= 0.99", "p99{step=\\"second\\"} < 5s"]}""".formatted(url, url);
    }

    private static BarrageApi client(ConfigurableApplicationContext context) {
        return new BarrageApi(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static String closed(String url, String duration) {
        return """
                {"request": {"url": "%s"}, "workload": {"concurrency": 2, "duration": "%s"}}""".formatted(url, duration);
    }
}
