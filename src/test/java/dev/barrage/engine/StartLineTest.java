package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The line a run's schedule threads wait at: the last to arrive starts the clock, once, and lets the others go. */
class StartLineTest {

    private static final Duration LONG_ENOUGH = Duration.ofSeconds(10);

    private final AtomicInteger starts = new AtomicInteger();

    @Test
    void aSingleRunnerStartsTheClockAndGoesOnAtOnce() {
        StartLine line = new StartLine(1, starts::incrementAndGet);

        line.arriveAndAwait();

        assertThat(starts).hasValue(1);
    }

    @Test
    void theLastRunnerToArriveStartsTheClockOnceAndLetsTheOthersGo() throws InterruptedException {
        StartLine line = new StartLine(2, starts::incrementAndGet);
        AtomicInteger startsSeenByTheFirst = new AtomicInteger(-1);
        Thread first = Thread.ofPlatform().start(() -> {
            line.arriveAndAwait();
            startsSeenByTheFirst.set(starts.get());
        });
        awaitWaiting(first);
        assertThat(starts).as("one runner is still to come").hasValue(0);

        line.arriveAndAwait();

        assertThat(first.join(LONG_ENOUGH)).isTrue();
        assertThat(starts).hasValue(1);
        assertThat(startsSeenByTheFirst).as("the clock started before the first went on").hasValue(1);
    }

    @Test
    void anInterruptEndsTheWaitWithTheInterruptStatusSetAndStartsNoClock() throws InterruptedException {
        StartLine line = new StartLine(2, starts::incrementAndGet);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread waiting = Thread.ofPlatform().start(() -> {
            line.arriveAndAwait();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitWaiting(waiting);

        waiting.interrupt();

        assertThat(waiting.join(LONG_ENOUGH)).isTrue();
        assertThat(interruptedAfter).as("so that its loop ends").isTrue();
        assertThat(starts).hasValue(0);
    }

    @Test
    void aLineNeedsARunner() {
        assertThatThrownBy(() -> new StartLine(0, starts::incrementAndGet)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Until the thread parks at the line: no sleeping, a spin on its state. */
    private static void awaitWaiting(Thread thread) {
        long deadline = System.nanoTime() + LONG_ENOUGH.toNanos();
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - deadline).as("the runner never waited").isNegative();
            Thread.onSpinWait();
        }
    }
}
