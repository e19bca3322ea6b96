package dev.barrage.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.Summaries;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Valid definitions at the edges the fuzzer reaches (sparse or vanishing open-model rates, every
 * generated valid extreme): each must run to COMPLETED with numbers that describe the plan. Same
 * limits as {@link MalformedDefinitionsTest}, so the two share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "barrage.limits.max-duration=2s", "barrage.limits.max-concurrency=2", "barrage.limits.max-rate=50",
        "barrage.limits.max-running=1", "barrage.limits.max-queued=2"})
class ValidExtremeDefinitionsTest {

    @LocalServerPort
    int port;

    private BarrageApi barrage;
    private CountingTarget target;

    @BeforeEach
    void startTarget() throws Exception {
        barrage = new BarrageApi(port);
        target = new CountingTarget(200, "ok");
        barrage.cancelUnfinishedRuns(Duration.ofSeconds(10)); // the context is shared: start from an empty queue
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    /**
     * One request per second for 2 s is two requests, due at 0 s and 1 s. The run must last its 2 s
     * and report about 1 request/s; ending right after the last hit would halve elapsedSeconds and
     * double the throughput (and pass an "rps >= 1.5" threshold that the plan cannot meet).
     */
    @Test
    void anOpenRunWhoseLastHitIsDueEarlyStillLastsItsDuration() throws Exception {
        JsonNode run = runToEnd("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 1, "duration": "2s"},
                 "thresholds": ["rps < 1.5"]}""".formatted(url()));
        JsonNode summary = run.get("summary");
        assertThat(run.get("status").asString()).as("%s", run).isEqualTo("COMPLETED");
        assertThat(summary.get("requests").asLong()).as("%s", summary).isEqualTo(2).isEqualTo(target.received());
        assertThat(summary.get("elapsedSeconds").asDouble()).as("elapsedSeconds of a 2s run: %s", summary)
                .isGreaterThanOrEqualTo(1.95);
        assertThat(summary.get("throughput").asDouble()).as("throughput of a 1/s plan: %s", summary)
                .isLessThanOrEqualTo(1.1);
        assertThat(run.get("verdict").asString()).as("rps < 1.5 on a 1/s plan: %s", run.get("thresholds"))
                .isEqualTo("PASSED");
    }

    /** Every positive rate puts hit 0 at the start (n / rate = 0), however small the rate. */
    @Test
    void anOpenRunWithAVanishinglySmallRateSendsItsFirstHitAtTheStart() throws Exception {
        for (String rate : List.of("1e-299", "1e-310")) {
            long receivedBefore = target.received();
            JsonNode run = runToEnd("""
                    {"request": {"url": "%s"}, "workload": {"model": "open", "rate": %s, "duration": "1s"}}"""
                    .formatted(url(), rate));
            JsonNode summary = run.get("summary");
            assertThat(run.get("status").asString()).as("rate %s: %s", rate, run).isEqualTo("COMPLETED");
            assertThat(summary.get("requests").asLong()).as("rate %s: the hit due at 0 s: %s", rate, summary)
                    .isEqualTo(1).isEqualTo(target.received() - receivedBefore);
        }
    }

    /** Every valid extreme the fuzzer generates runs to COMPLETED with consistent counts. */
    @Test
    void everyValidExtremeDefinitionCompletes() throws Exception {
        List<String> extremes = new DefinitionMutator(target.port()).validExtremes();
        for (int i = 0; i < extremes.size(); i++) {
            JsonNode run = runToEnd(extremes.get(i));
            JsonNode summary = run.get("summary");
            assertThat(run.get("status").asString()).as("valid extreme %d: %s", i, run).isEqualTo("COMPLETED");
            assertThat(Summaries.countsProblem(summary)).as("valid extreme %d", i).isNull();
        }
    }

    private String url() {
        return "http://127.0.0.1:" + target.port() + "/extreme";
    }

    /** Starts the definition (it must be accepted) and answers the run once it ended, whichever way. */
    private JsonNode runToEnd(String definition) throws Exception {
        return barrage.awaitEnd(barrage.start(definition), Duration.ofSeconds(20));
    }
}
