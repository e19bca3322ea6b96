package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClosedModelRunTest {

    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("test-vu-", 0).factory();

    private final FakeClock clock = FakeClock.manual();
    private final LoadEngine engine = new LoadEngine(clock);
    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);

    @Test
    void everyRequestSentIsCountedExactlyOnce() throws Exception {
        FakeTransport transport = new FakeTransport(n -> {
            clock.advance(Duration.ofMillis(1));
            return Exchange.response(200, 100, 250);
        });

        RunEnd end = run(ClosedWorkload.constant(8, Duration.ofSeconds(1)), transport);

        Summary summary = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        assertThat(summary.requests()).isEqualTo(transport.sent.get()).isBetween(1000L, 1008L);
        assertThat(summary.successes()).isEqualTo(summary.requests());
        assertThat(summary.statusCodes()).isEqualTo(Map.of("200", summary.requests()));
        assertThat(summary.bytesSent()).isEqualTo(100 * summary.requests());
        assertThat(summary.bytesReceived()).isEqualTo(250 * summary.requests());
        // a user's session opens with its first request: a user started after the end opens none
        assertThat(transport.sessionsOpened.get()).isBetween(1L, 8L);
        assertThat(transport.sessionsClosed.get()).isEqualTo(transport.sessionsOpened.get());
        assertThat(recorder.inFlight()).isZero();
    }

    @Test
    void aLastResponseFollowedByStrayBytesIsRetractedAsAProtocolErrorAndCountedOnce() throws Exception {
        FakeTransport transport = new FakeTransport(n -> {
            clock.advance(Duration.ofMillis(10));
            return Exchange.response(200, 10, 10);
        }).strayBytesOnClose(session -> true);

        RunEnd end = run(ClosedWorkload.constant(1, Duration.ofSeconds(1)), transport);

        Summary summary = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
        assertThat(summary.requests()).isEqualTo(transport.sent.get()).isEqualTo(100);
        assertThat(summary.errors()).isEqualTo(Map.of("PROTOCOL", 1L));
        assertThat(summary.statusCodes()).isEqualTo(Map.of("200", 99L));
        assertThat(summary.failures()).isEqualTo(1);
    }

    @Test
    void aRequestInFlightWhenTheDurationEndsIsAwaitedAndCounted() throws Exception {
        FakeTransport transport = new FakeTransport(n -> {
            clock.advance(Duration.ofSeconds(3));
            return Exchange.response(200, 10, 10);
        });

        RunEnd end = run(ClosedWorkload.constant(1, Duration.ofSeconds(1)), transport);

        Summary summary = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        assertThat(transport.sent.get()).isEqualTo(1);
        assertThat(summary.requests()).isEqualTo(1);
        assertThat(summary.latencyMs().p50()).isEqualTo(3000.0, org.assertj.core.data.Offset.offset(3.0));
        assertThat(end.elapsedNanos()).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void responsesOutsideExpectedStatusAndTransportErrorsAreFailuresByKind() throws Exception {
        FakeTransport transport = new FakeTransport(n -> {
            clock.advance(Duration.ofMillis(1));
            return switch ((int) (n % 4)) {
                case 0 -> Exchange.response(200, 1, 1);
                case 1 -> Exchange.response(503, 1, 1);
                case 2 -> Exchange.failure(ErrorKind.CONNECTION_REFUSED, 0, 0);
                default -> Exchange.failure(ErrorKind.TIMEOUT, 1, 0);
            };
        });

        RunEnd end = run(ClosedWorkload.constant(1, Duration.ofMillis(400)), transport);

        Summary summary = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
        assertThat(summary.requests()).isEqualTo(400);
        assertThat(summary.successes()).isEqualTo(100);
        assertThat(summary.failures()).isEqualTo(300);
        assertThat(summary.errorRate()).isEqualTo(0.75);
        assertThat(summary.statusCodes()).isEqualTo(Map.of("200", 100L, "503", 100L));
        assertThat(summary.errors()).isEqualTo(Map.of("CONNECTION_REFUSED", 100L, "TIMEOUT", 100L));
    }

    @Test
    void cancellationAbandonsRequestsInFlightPromptlyAndDoesNotCountThem() throws Exception {
        CountDownLatch allBlocked = new CountDownLatch(50);
        FakeTransport transport = new FakeTransport(n -> {
            allBlocked.countDown();
            new CountDownLatch(1).await();
            throw new AssertionError("unreachable: only an interrupt ends the wait");
        });
        LoadRun run = engine.start(ClosedWorkload.constant(50, Duration.ofHours(1)), transport, recorder, VIRTUAL);
        assertThat(allBlocked.await(10, TimeUnit.SECONDS)).isTrue();

        run.cancel();

        RunEnd end = run.completion().get(10, TimeUnit.SECONDS);
        Summary summary = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.CANCELLED);
        assertThat(summary.requests()).isZero();
        assertThat(recorder.aborted()).isEqualTo(50);
        assertThat(recorder.inFlight()).isZero();
        assertThat(run.progress()).as("cancelled before the fake clock moved: none of its hour covered").isZero();
    }

    @Test
    void aFailingEngineStopsAllUsersAndReportsWhy() throws Exception {
        FakeTransport transport = new FakeTransport(n -> {
            clock.advance(Duration.ofMillis(1));
            if (n == 5) {
                throw new IllegalStateException("bug in the transport");
            }
            return Exchange.response(200, 1, 1);
        });

        RunEnd end = run(ClosedWorkload.constant(2, Duration.ofHours(1)), transport);

        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.FAILED);
        assertThat(end.failure()).hasMessage("bug in the transport");
    }

    @Test
    void progressFollowsTheClock() {
        CountDownLatch release = new CountDownLatch(1);
        FakeTransport transport = new FakeTransport(n -> {
            release.await();
            return Exchange.response(200, 1, 1);
        });
        LoadRun run = engine.start(ClosedWorkload.constant(1, Duration.ofSeconds(10)), transport, recorder, VIRTUAL);
        clock.advance(Duration.ofSeconds(4));

        assertThat(run.progress()).isEqualTo(0.4);
        assertThat(run.elapsedNanos()).isEqualTo(Duration.ofSeconds(4).toNanos());
        run.cancel();
    }

    private RunEnd run(Workload workload, FakeTransport transport) throws Exception {
        return engine.start(workload, transport, recorder, VIRTUAL).completion().get(30, TimeUnit.SECONDS);
    }
}
