package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NanoClock#awaitPrecisely}: a park to the spin's start, then reads of the clock up to the deadline. */
class NanoClockTest {

    /** Moves 1 µs a read; a park jumps straight to its deadline and is noted. */
    private static final class SteppingClock implements NanoClock {
        long nanos = 5_000_000;
        int reads;
        final List<Long> parks = new ArrayList<>();

        @Override
        public long nanoTime() {
            reads++;
            return nanos += 1_000;
        }

        @Override
        public void parkUntil(long deadline) {
            parks.add(deadline);
            nanos = Math.max(nanos, deadline);
        }
    }

    @Test
    void parksUntilTheSpinsStartThenSpinsUpToTheDeadlineAndNoFurther() throws Exception {
        SteppingClock clock = new SteppingClock();

        clock.awaitPrecisely(10_000_000, 250_000);

        assertThat(clock.parks).containsExactly(9_750_000L);
        assertThat(clock.nanos).isEqualTo(10_000_000); // the read that reached the deadline ended the spin
        assertThat(clock.reads).isEqualTo(250);
    }

    @Test
    void aDeadlinePassedAlreadyReturnsAtOnce() throws Exception {
        SteppingClock clock = new SteppingClock();

        clock.awaitPrecisely(1_000_000, 250_000);

        assertThat(clock.reads).isEqualTo(1);
    }

    @Test
    void anInterruptEndsTheSpin() {
        SteppingClock clock = new SteppingClock();
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> clock.awaitPrecisely(10_000_000, 250_000)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(clock.reads).isEqualTo(1);
    }
}
