package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.transport.Exchange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The open model on a simulated clock: waits jump time forward instead of sleeping. */
class OpenModelRunTest {

    private static final long S = 1_000_000_000L;
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("test-worker-", 0).factory();

    private final FakeClock clock = FakeClock.jumping();
    private final LoadEngine engine = new LoadEngine(clock);
    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);

    @Test
    void sendsExactlyRateTimesDurationRequests() throws Exception {
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1));
        OpenWorkload workload = new OpenWorkload(new ConstantRate(500, 4 * S), 10_000);

        Summary summary = summaryOf(workload, transport);

        assertThat(transport.sent.get()).isEqualTo(2000);
        assertThat(summary.requests()).isEqualTo(2000);
        assertThat(summary.targetRate()).isEqualTo(500.0);
        assertThat(summary.delayed()).isZero();
    }

    @Test
    void aTargetSlowerThanTheRateDelaysRequestsAndLatencyCountsFromTheDueTime() throws Exception {
        // one worker, a request every 5 ms, each taking 10 ms: hit n is sent at 10n ms and ends at
        // 10(n+1) ms, so its latency from the due time 5n ms is 5n + 10 ms while its service time is 10 ms
        FakeClock clock = FakeClock.movedByRequests();
        LoadEngine engine = new LoadEngine(clock);
        FakeTransport transport = new FakeTransport(n -> {
            clock.parkUntil(clock.nanoTime() + 10_000_000);
            return Exchange.response(200, 1, 1);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(200, S), 1);

        Summary summary = summaryOf(engine, workload, transport);

        assertThat(summary.requests()).isEqualTo(200);
        assertThat(summary.delayed()).isEqualTo(199);
        assertThat(summary.serviceTimeMs().p50()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.serviceTimeMs().max()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.latencyMs().min()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.latencyMs().max()).isEqualTo(1005.0, Offset.offset(1.0));
        assertThat(summary.latencyMs().p50()).isEqualTo(505.0, Offset.offset(5.0));
    }

    @Test
    void theWorkerPoolGrowsWithRequestsInFlightAndStopsAtMaxConcurrency() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        FakeTransport transport = new FakeTransport(n -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            clock.parkUntil(clock.nanoTime() + 50_000_000);
            inFlight.decrementAndGet();
            return Exchange.response(200, 1, 1);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(1000, S), 8);

        Summary summary = summaryOf(workload, transport);

        assertThat(summary.requests()).isEqualTo(1000);
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(8);
        assertThat(transport.sessionsOpened.get()).isLessThanOrEqualTo(8);
    }

    @Test
    void stagesRampTheRate() throws Exception {
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1));
        Stages stages = Stages.of(List.of(new Stages.Stage(2 * S, 100), new Stages.Stage(S, 100), new Stages.Stage(2 * S, 0)));

        Summary summary = summaryOf(new OpenWorkload(stages, 10_000), transport);

        assertThat(summary.requests()).isEqualTo(300);
        assertThat(summary.targetRate()).isEqualTo(60.0);
    }

    @Test
    void cancellingAbandonsRequestsInFlightAndStopsTheSchedule() throws Exception {
        CountDownLatch threeStarted = new CountDownLatch(3);
        FakeTransport transport = new FakeTransport(n -> {
            threeStarted.countDown();
            new CountDownLatch(1).await();
            throw new AssertionError("only an interrupt ends the wait");
        });
        LoadRun run = engine.start(new OpenWorkload(new ConstantRate(100, 3600 * S), 3), transport, recorder, VIRTUAL);
        assertThat(threeStarted.await(10, TimeUnit.SECONDS)).isTrue();

        run.cancel();

        RunEnd end = run.completion().get(10, TimeUnit.SECONDS);
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.CANCELLED);
        assertThat(recorder.aborted()).isEqualTo(3);
        assertThat(new RunSampler(recorder).sample(end.elapsedNanos(), true).summary().requests()).isZero();
    }

    private Summary summaryOf(OpenWorkload workload, FakeTransport transport) throws Exception {
        return summaryOf(engine, workload, transport);
    }

    private Summary summaryOf(LoadEngine engine, OpenWorkload workload, FakeTransport transport) throws Exception {
        RunEnd end = engine.start(workload, transport, recorder, VIRTUAL).completion().get(30, TimeUnit.SECONDS);
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        OpenPlan plan = new OpenPlan(workload.pacer()::hitsBefore, workload.pacer().durationNanos());
        return new RunSampler(recorder, plan).sample(end.elapsedNanos(), true).summary();
    }
}
