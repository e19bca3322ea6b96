package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Barrage's {@code /actuator/prometheus} text, with a finished open-model run in it (so every
 * per-run family is present), piped into {@code promtool check metrics}: Prometheus' own lint of
 * names, types, help texts and unit suffixes. Skipped only when promtool is absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BarrageMetricsLintTest {

    @LocalServerPort
    int port;

    private String scrape;

    @BeforeEach
    void scrapeWithARun() throws Exception {
        assumeTrue(Tool.present(Tool.PROMTOOL), Tool.PROMTOOL + " is absent: `promtool check metrics` of Barrage's"
                + " scrape is skipped. Install the " + Tool.INSTALL_HINT);
        if (scrape != null) {
            return;     // one run and one scrape serve both tests
        }
        BarrageApi barrage = new BarrageApi(port);
        try (CountingTarget target = new CountingTarget(200, "status 200")) {
            String id = barrage.start(BarrageApi.open(target.url(), 50, "1s"));
            barrage.awaitStatus(id, "COMPLETED", Duration.ofSeconds(30));
            scrape = barrage.getOk("/actuator/prometheus");
            assertThat(scrape).contains("load_tester_requests_total{status=\"success\",step=\"request\",test=\"" + id + "\"}",
                    "load_tester_request_latency_seconds_bucket{", "load_tester_in_flight_requests{",
                    "load_tester_runs_active", "load_tester_runs_total{");
        }
    }

    @Test
    void barragesOwnMetricFamiliesPassPromtoolCheckMetrics() throws Exception {
        String own = scrape.lines().filter(BarrageMetricsLintTest::isLoadTesterLine)
                .collect(Collectors.joining("\n", "", "\n"));

        Tool.Result lint = Tool.run(own, Tool.PROMTOOL.toString(), "check", "metrics");

        assertThat(lint.output()).as("promtool check metrics on the load_tester_* families:\n" + lint.describe()).isBlank();
        assertThat(lint.exitCode()).as(lint.describe()).isZero();
    }

    @Test
    void theWholeScrapePassesPromtoolCheckMetrics() throws Exception {
        Tool.Result lint = Tool.run(scrape, Tool.PROMTOOL.toString(), "check", "metrics");

        assertThat(lint.output()).as("promtool check metrics on all of /actuator/prometheus:\n" + lint.describe()).isBlank();
        assertThat(lint.exitCode()).as(lint.describe()).isZero();
    }

    /** A sample, HELP or TYPE line of a {@code load_tester_} family. */
    private static boolean isLoadTesterLine(String line) {
        String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
        return name.startsWith("load_tester_");
    }
}
