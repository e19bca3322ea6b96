package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.transport.Transport;
import dev.barrage.support.CountingTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The closed model on event loops against a real loopback target: what the target received is what
 * the summary counts, with or without the loops, and the loops run the users without a thread each.
 */
class EventLoopClosedRunTest {

    private static final long S = 1_000_000_000L;
    private static final byte[] OK = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
    private final EngineRuns.CountingThreads counted = new EngineRuns.CountingThreads();

    private LoadRun start(boolean eventLoops, Workload workload, Transport transport) {
        return new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.NONE, eventLoops).start(workload, transport, recorder, counted);
    }

    @ParameterizedTest(name = "event loops: {0}")
    @CsvSource({"true, 1", "false, 41"})
    void everyRequestTheTargetReceivedIsCountedOnceWithOrWithoutAThreadPerUser(boolean eventLoops, int threads)
            throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(1))) {
            LoadRun run = start(eventLoops, ClosedWorkload.constant(40, Duration.ofMillis(800)), EngineRuns.plainGet(target.url()));

            Summary summary = EngineRuns.summaryOf(run, recorder, ScenarioPlan.single(), null);

            assertThat(summary.requests()).isEqualTo(target.received()).isPositive();
            assertThat(summary.statusCodes()).isEqualTo(Map.of("200", summary.requests()));
            assertThat(summary.iterations().completed()).isEqualTo(summary.requests());
            assertThat(recorder.inFlight()).isZero();
            // on the loops only the controller is a thread of the run's factory; otherwise each user is one too
            assertThat(counted.made()).isEqualTo(threads);
        }
    }

    @Test
    void usersJoinAndRetireWithTheTargetAndEveryRequestIsCounted() throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(2))) {
            // 0 -> 30 users over 0.6 s, then 30 -> 0 over 0.6 s
            Stages users = Stages.of(List.of(new Stages.Stage(6 * S / 10, 30), new Stages.Stage(6 * S / 10, 0)));
            LoadRun run = start(true, new ClosedWorkload(users), EngineRuns.plainGet(target.url()));

            Summary summary = EngineRuns.summaryOf(run, recorder, ScenarioPlan.single(), null);

            assertThat(summary.requests()).isEqualTo(target.received()).isPositive();
            assertThat(summary.successes()).isEqualTo(summary.requests());
            assertThat(recorder.inFlight()).isZero();
        }
    }

    @Test
    void aRequestInFlightWhenTheDurationEndsIsAwaitedAndCounted() throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(700))) {
            LoadRun run = start(true, ClosedWorkload.constant(3, Duration.ofMillis(300)), EngineRuns.plainGet(target.url()));

            Summary summary = EngineRuns.summaryOf(run, recorder, ScenarioPlan.single(), null);

            assertThat(summary.requests()).isEqualTo(target.received()).isEqualTo(3);
            assertThat(run.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(700).toNanos());
        }
    }

    @Test
    void cancellationAbandonsRequestsInFlightAndDoesNotCountThem() throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok")) {
            target.freeze();
            LoadRun run = start(true, ClosedWorkload.constant(25, Duration.ofHours(1)), EngineRuns.plainGet(target.url()));
            EngineRuns.awaitUntil(() -> target.received() == 25);

            run.cancel();

            RunEnd end = run.completion().get(10, TimeUnit.SECONDS);
            assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.CANCELLED);
            assertThat(recorder.aborted()).isEqualTo(25);
            assertThat(recorder.inFlight()).isZero();
        }
    }

    @Test
    void onlyASingleRequestOverPlainHttpGoesOnTheLoops() {
        Transport plain = EngineRuns.plainGet("http://127.0.0.1:1/");
        Transport tls = EngineRuns.plainGet("https://127.0.0.1:1/");

        assertThat(EventLoops.serve(ScenarioPlan.single(), new Transport[] {plain})).isTrue();
        assertThat(EventLoops.serve(ScenarioPlan.single(), new Transport[] {tls})).isFalse();
        assertThat(EventLoops.serve(ScenarioPlan.single(), new Transport[] {new FakeTransport(n -> null)})).isFalse();
        ScenarioPlanBuilder builder = new ScenarioPlanBuilder();
        Step templated = builder.request("one", builder.template("GET", "/one", null));
        ScenarioPlan oneTemplatedStep = builder.build(List.of(new Scenario("s", List.of(templated))), 1);
        assertThat(EventLoops.serve(oneTemplatedStep, new Transport[] {plain})).isFalse();
    }
}
