package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The README's CI recipe, run as written (cut out of README.md) with sh against this live service:
 * exit 0 when every threshold held, non-zero when one failed or Barrage refused the test, and the
 * JUnit XML and the run's JSON left behind for the pipeline.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CiRecipeEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage();

    @TempDir
    Path job;

    private CountingTarget target;
    private BarrageApi barrage;

    /** What the recipe left: its exit status and its output. */
    private record Outcome(int exit, String output) {
    }

    @BeforeEach
    void start() throws Exception {
        barrage = live.api();
        target = live.target();
    }

    @Test
    void aRunWhoseThresholdsHoldPassesTheJobAndLeavesItsReports() throws Exception {
        Outcome outcome = run(definition("error_rate < 0.5"));

        assertThat(outcome.exit()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains(": COMPLETED, verdict PASSED");
        assertThat(Files.readString(job.resolve("barrage-run.json"))).contains("\"status\":\"COMPLETED\"");
        var suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(job.resolve("barrage-junit.xml").toFile()).getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        String report = Files.readString(job.resolve("barrage-report.html"));
        assertThat(report).startsWith("<!doctype html>").contains("id=\"barrage-report-data\"").contains("ci job");
    }

    @Test
    void aRunThatDidNotCompleteFailsTheJob() throws Exception {
        Files.writeString(job.resolve("loadtest.json"), """
                {"name": "ci job", "request": {"url": "%s"}, "workload": {"concurrency": 1, "duration": "1m"}}"""
                .formatted(target.url()));
        Process shell = startRecipe();
        String id = awaitRunningRunId();

        assertThat(barrage.cancel(id).statusCode()).isEqualTo(202);

        Outcome outcome = finish(shell);
        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.output()).contains("Barrage run " + id + ": CANCELLED");
        assertThat(Files.readString(job.resolve("barrage-junit.xml"))).contains("<error");
    }

    private String awaitRunningRunId() throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode running = barrage.getJson("/tests?status=RUNNING");
            if (running.size() == 1) {
                return running.get(0).get("id").asString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the recipe's run never ran");
    }

    @Test
    void aFailedThresholdFailsTheJob() throws Exception {
        Outcome outcome = run(definition("rps > 1000000000"));

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.output()).contains(": COMPLETED, verdict FAILED");
        assertThat(Files.readString(job.resolve("barrage-junit.xml"))).contains("<failure type=\"threshold\"");
    }

    @Test
    void aTestBarrageRefusesFailsTheJob() throws Exception {
        Outcome outcome = run("{\"request\": {\"url\": \"ftp://x\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}}");

        assertThat(outcome.exit()).as(outcome.output()).isNotZero();
        assertThat(outcome.output()).contains("Barrage refused the test");
        assertThat(target.received()).isZero();
    }

    private String definition(String threshold) {
        return """
                {"name": "ci job", "request": {"url": "%s"}, "workload": {"concurrency": 1, "duration": "1s"},
                 "thresholds": ["%s"]}""".formatted(target.url(), threshold);
    }

    private Outcome run(String definition) throws Exception {
        Files.writeString(job.resolve("loadtest.json"), definition);
        return finish(startRecipe());
    }

    private Process startRecipe() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", recipe()).directory(job.toFile()).redirectErrorStream(true)
                .redirectOutput(job.resolve("output.txt").toFile()).start();
        shell.getOutputStream().close();
        return shell;
    }

    private Outcome finish(Process shell) throws Exception {
        assertThat(shell.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the recipe ended").isTrue();
        return new Outcome(shell.exitValue(), Files.readString(job.resolve("output.txt")));
    }

    /** The first sh block after "### In CI" in README.md, pointed at this service. */
    private String recipe() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("### In CI");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        assertThat(section).as("README.md has an In CI section").isPositive();
        return "BARRAGE=" + live.base() + "\n" + readme.substring(start, end) + "\n";
    }
}
