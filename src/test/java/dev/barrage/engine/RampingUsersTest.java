package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.transport.Exchange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closed-model stages on a stepped clock: the test moves time 100 ms at a time, each time once every
 * thread is waiting for the clock, and records how many users were sending in each step.
 */
class RampingUsersTest {

    private static final long S = 1_000_000_000L;
    private static final Duration STEP = Duration.ofMillis(100);

    @Test
    void usersJoinAsTheTargetRisesAndLeaveAsItFalls() throws Exception {
        FakeClock clock = FakeClock.manual();
        AtomicInteger sending = new AtomicInteger();
        FakeTransport transport = new FakeTransport(n -> {
            sending.incrementAndGet();
            try {
                clock.parkUntil(clock.nanoTime() + STEP.toNanos());
            } finally {
                sending.decrementAndGet();
            }
            return Exchange.response(200, 1, 1);
        });
        // 0 -> 4 users over 4 s, hold 4 for 2 s, 4 -> 0 over 2 s
        Stages users = Stages.of(List.of(new Stages.Stage(4 * S, 4), new Stages.Stage(2 * S, 4), new Stages.Stage(2 * S, 0)));
        long start = clock.nanoTime();
        AtomicInteger liveThreads = new AtomicInteger();
        ThreadFactory counted = body -> Thread.ofVirtual().unstarted(() -> {
            try {
                body.run();
            } finally {
                liveThreads.decrementAndGet();
            }
        });
        ThreadFactory threads = body -> {
            liveThreads.incrementAndGet();
            return counted.newThread(body);
        };
        LoadRun run = new LoadEngine(clock).start(new ClosedWorkload(users), transport,
                new RunRecorder(StatusRange.DEFAULT), threads);

        Map<Long, Integer> usersAtStep = new TreeMap<>();
        while (!run.completion().isDone()) {
            awaitEveryThreadWaiting(clock, liveThreads, run);
            usersAtStep.put((clock.nanoTime() - start) / STEP.toNanos(), sending.get());
            clock.advance(STEP);
        }

        assertThat(run.completion().get(10, TimeUnit.SECONDS).outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        assertThat(transport.sessionsOpened.get()).isEqualTo(4);
        assertThat(transport.sessionsClosed.get()).isEqualTo(4);
        assertThat(usersAtStep.get(5L)).as("0.5 s: target 0.5, no user yet").isZero();
        assertThat(usersAtStep.get(15L)).as("1.5 s: target 1.5").isEqualTo(1);
        assertThat(usersAtStep.get(35L)).as("3.5 s: target 3.5").isEqualTo(3);
        assertThat(usersAtStep.get(50L)).as("5 s: holding 4").isEqualTo(4);
        assertThat(usersAtStep.get(65L)).as("6.5 s: target 3.25").isEqualTo(3);
        assertThat(usersAtStep.get(75L)).as("7.5 s: target 1.25").isEqualTo(1);
        assertThat(usersAtStep.values()).allSatisfy(count -> assertThat(count).isBetween(0, 4));
    }

    /** Every live thread of the run (users and controller) is blocked on the clock: time may move. */
    private static void awaitEveryThreadWaiting(FakeClock clock, AtomicInteger liveThreads, LoadRun run) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!run.completion().isDone() && System.nanoTime() < giveUp) {
            if (clock.waiting() >= liveThreads.get()) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
