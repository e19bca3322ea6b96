package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Transport;
import dev.barrage.support.CountingTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open model on event loops against a real loopback target: every hit of the plan is sent once
 * or counted as dropped, what the target received is what the summary counts, with or without the
 * loops, and the loops need no thread of the run's factory.
 */
class EventLoopOpenRunTest {

    private static final long MS = 1_000_000L;
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
    private final EngineRuns.CountingThreads counted = new EngineRuns.CountingThreads();

    private LoadRun start(boolean eventLoops, Workload workload, ExecutionSegment segment, RunRecorder into, Transport transport) {
        return new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.NONE, eventLoops)
                .start(workload, segment, ScenarioPlan.single(), new Transport[] {transport}, into, counted);
    }

    private LoadRun start(boolean eventLoops, Workload workload, Transport transport) {
        return start(eventLoops, workload, ExecutionSegment.WHOLE, recorder, transport);
    }

    @ParameterizedTest(name = "event loops: {0}")
    @ValueSource(booleans = {true, false})
    void everyHitOfThePlanIsSentOnceOrCountedAsDroppedWithOrWithoutTheLoops(boolean eventLoops) throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(1))) {
            OpenWorkload open = new OpenWorkload(new ConstantRate(400, 500 * MS), 50);

            Summary summary = EngineRuns.summaryOf(start(eventLoops, open, EngineRuns.plainGet(target.url())), recorder,
                    ScenarioPlan.single(), open);

            assertThat(summary.requests()).isEqualTo(target.received()).isPositive();
            assertThat(summary.requests() + summary.dropped()).isEqualTo(200);
            assertThat(summary.statusCodes()).isEqualTo(Map.of("200", summary.requests()));
            assertThat(summary.iterations().completed()).isEqualTo(summary.requests());
            assertThat(recorder.inFlight()).isZero();
            if (eventLoops) {
                assertThat(counted.made()).as("the loops are the run's only threads").isZero();
            }
        }
    }

    @Test
    void aRampingRateSendsItsWholePlan() throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK)) {
            // 0 -> 600/s over 0.4 s, then 600/s -> 0 over 0.4 s: 240 hits
            Stages rate = Stages.of(List.of(new Stages.Stage(400 * MS, 600), new Stages.Stage(400 * MS, 0)));
            OpenWorkload open = new OpenWorkload(rate, 50);

            Summary summary = EngineRuns.summaryOf(start(true, open, EngineRuns.plainGet(target.url())), recorder,
                    ScenarioPlan.single(), open);

            assertThat(summary.requests()).isEqualTo(target.received()).isPositive();
            assertThat(summary.requests() + summary.dropped()).isEqualTo(rate.totalHits()).isEqualTo(240);
        }
    }

    @Test
    void withEveryAllowedConnectionBusyHitsWaitCountedAsDelayedAndThoseLeftAtTheEndAsDropped() throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(100))) {
            // two connections of 100 ms exchanges carry some 20 hits a second of the 100 planned
            OpenWorkload open = new OpenWorkload(new ConstantRate(100, 500 * MS), 2);

            Summary summary = EngineRuns.summaryOf(start(true, open, EngineRuns.plainGet(target.url())), recorder,
                    ScenarioPlan.single(), open);

            assertThat(summary.requests()).isEqualTo(target.received()).isBetween(2L, 20L);
            assertThat(summary.requests() + summary.dropped()).isEqualTo(50);
            assertThat(recorder.delayed()).as("hits that waited for a busy connection").isPositive();
            assertThat(summary.latencyMs().max()).as("measured from when each was due").isGreaterThan(200.0);
        }
    }

    @Test
    void theSegmentsOfAPlanSendItOnceBetweenThem() throws Exception {
        OpenWorkload open = new OpenWorkload(new ConstantRate(300, 500 * MS), 20);
        long sent = 0;
        long dropped = 0;
        for (int k = 1; k <= 3; k++) {
            try (CountingTarget target = new CountingTarget(200, OK)) {
                RunRecorder share = new RunRecorder(StatusRange.DEFAULT);
                Summary summary = EngineRuns.summaryOf(start(true, open, ExecutionSegment.of(k, 3), share,
                        EngineRuns.plainGet(target.url())), share, ScenarioPlan.single(), open);
                assertThat(summary.requests()).isEqualTo(target.received());
                assertThat(summary.requests() + summary.dropped()).isEqualTo(50);
                sent += summary.requests();
                dropped += summary.dropped();
            }
        }
        assertThat(sent + dropped).isEqualTo(150);
    }

    @Test
    void aRequestInFlightWhenTheDurationEndsIsAwaitedAndCounted() throws Exception {
        try (CountingTarget target = new CountingTarget(200, OK, Duration.ofMillis(700))) {
            OpenWorkload open = new OpenWorkload(new ConstantRate(10, 300 * MS), 10); // hits at 0, 100 and 200 ms
            LoadRun run = start(true, open, EngineRuns.plainGet(target.url()));

            Summary summary = EngineRuns.summaryOf(run, recorder, ScenarioPlan.single(), open);

            assertThat(summary.requests()).isEqualTo(target.received()).isEqualTo(3);
            assertThat(summary.dropped()).isZero();
            assertThat(run.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(700).toNanos());
        }
    }

    @Test
    void cancellationAbandonsRequestsInFlightAndDoesNotCountThem() throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok")) {
            target.freeze();
            LoadRun run = start(true, new OpenWorkload(new ConstantRate(1000, 3_600_000 * MS), 24), EngineRuns.plainGet(target.url()));
            EngineRuns.awaitUntil(() -> target.received() == 24);

            run.cancel();

            RunEnd end = run.completion().get(10, TimeUnit.SECONDS);
            assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.CANCELLED);
            assertThat(recorder.aborted()).isEqualTo(24);
            assertThat(recorder.inFlight()).isZero();
        }
    }
}
