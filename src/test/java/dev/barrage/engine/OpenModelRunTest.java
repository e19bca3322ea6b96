package dev.barrage.engine;

import static dev.barrage.engine.EngineRuns.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

        // a jumping clock races workers against the dispatcher's jumps, so a hit may find the run over
        assertThat(summary.requests() + summary.dropped()).isEqualTo(2000);
        assertThat(transport.sent.get()).isEqualTo(summary.requests());
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

        // hits 0..99 fit in the second (hit 99 is sent at 990 ms); the other 100 were due but never started
        assertThat(summary.requests()).isEqualTo(100).isEqualTo(transport.sent.get());
        assertThat(summary.dropped()).isEqualTo(100);
        assertThat(summary.delayed()).isEqualTo(99);
        assertThat(summary.connectDelayed()).isZero();
        assertThat(summary.serviceTimeMs().p50()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.serviceTimeMs().max()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.latencyMs().min()).isEqualTo(10.0, Offset.offset(0.01));
        assertThat(summary.latencyMs().max()).isEqualTo(505.0, Offset.offset(1.0));
        assertThat(summary.latencyMs().p50()).isEqualTo(255.0, Offset.offset(5.0));
    }

    @Test
    void whileTheCarriersAreBehindABusyPoolWaitsForItsWorkerInsteadOfGrowingAndTheLatenessIsTheGenerators()
            throws Exception {
        // as above, a request every 5 ms each taking 10 ms, but room for 100 workers: the carriers being
        // behind, a new connection would not send sooner, so the one worker takes every hit in turn
        FakeClock clock = FakeClock.movedByRequests();
        LoadEngine engine = new LoadEngine(clock, () -> true);
        FakeTransport transport = new FakeTransport(n -> {
            clock.parkUntil(clock.nanoTime() + 10_000_000);
            return Exchange.response(200, 1, 1);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(200, S), 100);

        RunEnd end = engine.start(workload, transport, recorder, VIRTUAL).completion().get(30, TimeUnit.SECONDS);
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        RunSnapshot snapshot = new RunSampler(recorder, new OpenPlan(workload.pacer()::hitsBefore,
                workload.pacer().durationNanos())).sample(end.elapsedNanos(), true);
        Summary summary = snapshot.summary();

        assertThat(transport.sessionsOpened.get()).isEqualTo(1);
        assertThat(summary.requests()).isEqualTo(100).isEqualTo(transport.sent.get());
        assertThat(summary.dropped()).isEqualTo(100);
        assertThat(summary.delayed()).isZero();
        assertThat(summary.connectDelayed()).isZero();
        // hit 99, due at 495 ms, went out at 990 ms: the generator's own lateness
        assertThat(snapshot.timeline()).extracting(point -> point.schedulerLagMs())
                .anySatisfy(lag -> assertThat(lag).isEqualTo(495.0, Offset.offset(1.0)))
                .allSatisfy(lag -> assertThat(lag).isLessThanOrEqualTo(496.0));
    }

    @Test
    void aPoolWithNoIdleWorkerGrowsOnlyOnceTheCarriersHaveCaughtUp() throws Exception {
        FakeClock clock = FakeClock.manual();
        AtomicBoolean carriersBehind = new AtomicBoolean(true);
        LoadEngine engine = new LoadEngine(clock, carriersBehind::get);
        CountDownLatch firstAnswer = new CountDownLatch(1);
        FakeTransport transport = new FakeTransport(n -> {
            if (n == 1) {
                firstAnswer.await(); // the first worker stays busy with hit 0
            }
            return Exchange.response(200, 1, 1);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(100, S), 100); // a hit every 10 ms

        LoadRun run = engine.start(workload, transport, recorder, VIRTUAL);
        awaitUntil(() -> transport.sent.get() == 1); // hit 0, due at the start, on the first worker
        clock.advance(Duration.ofMillis(10)); // hit 1 is due: no worker is idle, and the carriers are behind
        awaitUntil(() -> clock.parkedUntilWoken() == 1);
        assertThat(transport.sessionsOpened.get()).isEqualTo(1);

        carriersBehind.set(false);
        clock.advance(Duration.ofNanos(500_000)); // the dispatcher looks again: now a new worker helps
        awaitUntil(() -> transport.sent.get() == 2);
        assertThat(transport.sessionsOpened.get()).isEqualTo(2);

        firstAnswer.countDown();
        for (int ms = 20; ms <= 1000; ms += 10) {
            long due = ms / 10;
            awaitUntil(() -> transport.sent.get() >= due);
            clock.advance(Duration.ofMillis(10));
        }
        Summary summary = summaryOf(run.completion().get(30, TimeUnit.SECONDS), workload);

        assertThat(summary.requests()).isEqualTo(100).isEqualTo(transport.sent.get());
        assertThat(summary.dropped()).isZero();
        assertThat(summary.delayed()).isZero();
        assertThat(summary.connectDelayed()).isZero(); // hit 1 went out 0.5 ms late: under the 1 ms that counts
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

        assertThat(summary.requests() + summary.dropped()).isEqualTo(1000);
        assertThat(summary.requests()).isEqualTo(transport.sent.get()).isGreaterThanOrEqualTo(8);
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(8);
        assertThat(transport.sessionsOpened.get()).isLessThanOrEqualTo(8);
    }

    @Test
    void stagesRampTheRate() throws Exception {
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1));
        Stages stages = Stages.of(List.of(new Stages.Stage(2 * S, 100), new Stages.Stage(S, 100), new Stages.Stage(2 * S, 0)));

        Summary summary = summaryOf(new OpenWorkload(stages, 10_000), transport);

        assertThat(summary.requests() + summary.dropped()).isEqualTo(300);
        assertThat(summary.requests()).isEqualTo(transport.sent.get());
        assertThat(summary.targetRate()).isEqualTo(60.0);
    }

    @Test
    void theHitsDueInTheLastQuarterMillisecondAreAwaitedBySpinningSoThatAParksOvershootCannotCarryThemPastTheEnd()
            throws Exception {
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1));
        OpenWorkload workload = new OpenWorkload(new ConstantRate(10_000, 1_000_000), 100); // a hit every 100 µs for 1 ms
        long start = clock.nanoTime();

        Summary summary = summaryOf(workload, transport);

        // due 200 and 100 µs before the end; the hits before them are parked for
        assertThat(clock.preciseWaits()).containsExactly(start + 800_000, start + 900_000);
        assertThat(summary.requests() + summary.dropped()).isEqualTo(10);
    }

    @Test
    void noRequestStartsAfterTheDurationAndTheRunEndsWithinItsDurationPlusOneTimeout() throws Exception {
        // one worker, 10 hits/s for 2 s, each request hangs for its whole 1 s timeout
        FakeClock clock = FakeClock.movedByRequests();
        LoadEngine engine = new LoadEngine(clock);
        FakeTransport transport = new FakeTransport(n -> {
            clock.parkUntil(clock.nanoTime() + S);
            return Exchange.failure(ErrorKind.TIMEOUT, 1, 0);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(10, 2 * S), 1);

        RunEnd end = engine.start(workload, transport, recorder, VIRTUAL).completion().get(30, TimeUnit.SECONDS);
        Summary summary = summaryOf(end, workload);

        assertThat(transport.sent.get()).isEqualTo(2);
        assertThat(summary.requests()).isEqualTo(2);
        assertThat(summary.dropped()).isEqualTo(18);
        assertThat(summary.delayed()).isEqualTo(1);
        assertThat(end.elapsedNanos()).isEqualTo(2 * S);
        assertThat(recorder.inFlightAtDurationEnd()).isBetween(0L, 1L); // the last request ends just as the duration does
    }

    @Test
    void hitsWaitingForConnectionsToBeSetUpAreCountedApartFromDelayedAndFromSchedulerLag() throws Exception {
        FakeClock clock = FakeClock.manual();
        LoadEngine engine = new LoadEngine(clock);
        CountDownLatch connectGate = new CountDownLatch(1);
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1)).connecting(connectGate::await);
        OpenWorkload workload = new OpenWorkload(new ConstantRate(1000, S), 100);
        long start = clock.nanoTime();

        LoadRun run = engine.start(workload, transport, recorder, VIRTUAL);
        clock.advance(Duration.ofMillis(10)); // hits 0..7 start the 8 workers allowed to connect at once
        awaitUntil(() -> transport.connects.get() == 8 && clock.parkedUntilWoken() == 1); // hit 8 waits for them
        clock.advance(Duration.ofMillis(10)); // the connects take at least 10 ms
        connectGate.countDown();
        for (long hitsDue = 21; hitsDue <= 1000; hitsDue++) { // then one hit a millisecond, each sent in time
            long due = hitsDue;
            awaitUntil(() -> transport.sent.get() == due);
            clock.advance(Duration.ofMillis(1));
        }
        RunEnd end = run.completion().get(30, TimeUnit.SECONDS);
        Summary summary = summaryOf(end, workload);

        // at least the 8 connecting workers' first hits and hit 8, which waited for them. Hits 9..18,
        // more than 1 ms late when the clock stands at 20 ms, are connect-delayed too when the dispatcher
        // found the first workers still busy with their first sends and started new ones after waiting
        // on connects (thread scheduling decides: a loaded machine sees more); hits due from 19 ms on
        // are at most 1 ms late, so never counted
        assertThat(summary.connectDelayed()).isBetween(9L, 19L);
        assertThat(summary.delayed()).isZero();
        assertThat(summary.requests()).isEqualTo(1000).isEqualTo(transport.sent.get());
        assertThat(summary.dropped()).isZero();
    }

    @Test
    void aResponseFollowedByStrayBytesIsRetractedAsAProtocolErrorAndCountedOnce() throws Exception {
        FakeTransport transport = new FakeTransport(n -> Exchange.response(200, 1, 1)).strayBytesOnClose(session -> true);
        OpenWorkload workload = new OpenWorkload(new ConstantRate(100, S), 1);

        Summary summary = summaryOf(workload, transport);

        assertThat(summary.requests()).isEqualTo(transport.sent.get());
        assertThat(summary.errors()).containsEntry("PROTOCOL", 1L);
        assertThat(summary.statusCodes()).containsEntry("200", summary.requests() - 1);
        assertThat(summary.failures()).isEqualTo(1);
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
        return summaryOf(end, workload);
    }

    private Summary summaryOf(RunEnd end, OpenWorkload workload) {
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        OpenPlan plan = new OpenPlan(workload.pacer()::hitsBefore, workload.pacer().durationNanos());
        return new RunSampler(recorder, plan).sample(end.elapsedNanos(), true).summary();
    }
}
