package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 11, on a service of its own in a 256 MB heap: definitions of nearly 2 MB
 * posted again and again, with room for 200 in the queue. Memory is bounded by the settings, so the
 * service refuses what it cannot hold (429), stays healthy, and stops on SIGTERM.
 */
class MemoryBoundEndToEndTest {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

    @TempDir
    Path logs;

    @Test
    void nearly2MbDefinitionsPostedAgainAndAgainAreRefusedOnceTheBudgetIsFullAndTheServiceStaysHealthy() throws Exception {
        Path log = logs.resolve("service.log");
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "dev.barrage.BarrageApplication", "--server.port=0", "--server.address=127.0.0.1",
                "--barrage.limits.max-running=4", "--barrage.limits.max-queued=200")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitPort(service, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String definition = hugeDefinition();
            assertThat(definition.length()).isBetween(1_800_000, 2_000_000);

            Map<Integer, Integer> answers = new TreeMap<>();
            for (int i = 0; i < 120; i++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tests"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(definition)).build(), HttpResponse.BodyHandlers.ofString());
                answers.merge(answer.statusCode(), 1, Integer::sum);
            }

            assertThat(answers.keySet()).as("%s", answers).containsOnly(202, 429);
            assertThat(answers.get(429)).as("%s", answers).isPositive();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"UP\"");

            service.destroy(); // SIGTERM
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        } finally {
            service.destroyForcibly();
        }
    }

    private static String hugeDefinition() {
        String headers = IntStream.range(0, 100).mapToObj(i -> "\"X-H" + i + "\": \"" + "v".repeat(8000) + "\"")
                .collect(Collectors.joining(", "));
        return """
                {"request": {"url": "http://127.0.0.1:9/", "method": "POST", "timeout": "1s", "body": "%s", "headers": {%s}},
                 "workload": {"model": "closed", "concurrency": 1, "duration": "1h"}}""".formatted("x".repeat(1_000_000), headers);
    }

    private static int awaitPort(Process service, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher started = STARTED.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (started.find()) {
                return Integer.parseInt(started.group(1));
            }
            if (!service.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not start within 90 s: " + Files.readString(log));
    }
}
