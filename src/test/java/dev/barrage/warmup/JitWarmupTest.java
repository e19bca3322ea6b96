package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule on a fake clock and a scripted JIT: no load, no sleeping. */
class JitWarmupTest {

    private static final long SLICE = 500_000_000;
    private static final long SECOND = 1_000_000_000;

    private long now;
    private long compiledMillis;
    private final List<String> ran = new ArrayList<>();

    /** A slice of the given kind that takes its whole time, compiles as scripted for its turn and sends 1,000 requests. */
    private JitWarmup.Slice slice(String kind, long... compileMillisPerTurn) {
        return sending(kind, 1_000, compileMillisPerTurn);
    }

    private JitWarmup.Slice sending(String kind, long requests, long... compileMillisPerTurn) {
        int[] turn = {0};
        return nanos -> {
            ran.add(kind + "@" + nanos);
            now += nanos;
            compiledMillis += turn[0] < compileMillisPerTurn.length ? compileMillisPerTurn[turn[0]] : 0;
            turn[0]++;
            return requests;
        };
    }

    private JitWarmup warmup(long maxNanos, JitWarmup.Slice... slices) {
        return withFloor(0, maxNanos, slices);
    }

    private JitWarmup withFloor(long minRequestsPerKind, long maxNanos, JitWarmup.Slice... slices) {
        return new JitWarmup(List.of(slices), () -> now, () -> compiledMillis, SLICE, maxNanos, 0.02, minRequestsPerKind);
    }

    @Test
    void endsAfterAWholeRoundOfSlicesInARowCompilesAtMostTheQuietShare() throws InterruptedException {
        // 2 % of 500 ms is 10 ms: 10 counts as quiet, 11 does not and starts the round again
        JitWarmup.Outcome outcome = warmup(60 * SECOND,
                slice("open", 400, 10, 0),
                slice("closed", 300, 11, 10)).run(() -> false);

        assertThat(ran).containsExactly("open@500000000", "closed@500000000", "open@500000000", "closed@500000000",
                "open@500000000", "closed@500000000");
        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.stopped()).isFalse();
        assertThat(outcome.slices()).isEqualTo(6);
        assertThat(outcome.elapsedNanos()).isEqualTo(6 * SLICE);
        assertThat(outcome.requests()).isEqualTo(6_000);
        assertThat(outcome.compileMillis()).isEqualTo(400 + 300 + 10 + 11 + 0 + 10);
    }

    @Test
    void quietCountsOnlyOnceEveryKindHasSentItsFloor() throws InterruptedException {
        // the JIT is quiet from the start, as when few methods have reached its thresholds yet; the open
        // slices send 3,000 a turn and reach 10,000 in their fourth (the seventh slice in all), the
        // closed ones 6,000 and reach it in their second
        JitWarmup.Outcome outcome = withFloor(10_000, 60 * SECOND, sending("open", 3_000), sending("closed", 6_000))
                .run(() -> false);

        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.slices()).isEqualTo(7);
        assertThat(outcome.requests()).isEqualTo(4 * 3_000 + 3 * 6_000);
    }

    @Test
    void aBusySliceStartsTheFloorAgainForEveryKind() throws InterruptedException {
        // as above, but the fourth open slice (the seventh in all) compiles 200 ms, 40 % of 500 ms: the
        // compilers' queue was long. What both kinds sent before it no longer counts: the closed slices
        // reach the floor again in their second turn after it (the tenth slice), the open ones in their
        // fourth (the fifteenth)
        JitWarmup.Outcome outcome = withFloor(10_000, 60 * SECOND, sending("open", 3_000, 0, 0, 0, 200),
                sending("closed", 6_000)).run(() -> false);

        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.slices()).isEqualTo(15);
        assertThat(outcome.requests()).isEqualTo(8 * 3_000 + 7 * 6_000);
    }

    @Test
    void aSliceNeitherQuietNorBusyPutsOffTheEndButKeepsTheFloorsCount() throws InterruptedException {
        // the fourth open slice compiles 50 ms, 10 %: more than quiet, not busy (a warmed JVM under load
        // still compiles a method now and then). The floor is reached with it (its requests count), and
        // the end waits for the next whole round in a row that is quiet: slices 8 and 9
        JitWarmup.Outcome outcome = withFloor(10_000, 60 * SECOND, sending("open", 3_000, 0, 0, 0, 50),
                sending("closed", 6_000)).run(() -> false);

        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.slices()).isEqualTo(9);
    }

    @Test
    void aFloorNeverReachedEndsTheWarmupAtItsLimitNotQuiet() throws InterruptedException {
        JitWarmup.Outcome outcome = withFloor(10_000, 3 * SECOND, sending("open", 10), sending("closed", 1_000_000))
                .run(() -> false);

        assertThat(outcome.quiet()).isFalse();
        assertThat(outcome.slices()).isEqualTo(6);
        assertThat(outcome.elapsedNanos()).isEqualTo(3 * SECOND);
    }

    @Test
    void aJitThatNeverGoesQuietEndsTheWarmupAtItsLimitWithAShorterLastSlice() throws InterruptedException {
        long[] busy = new long[100];
        java.util.Arrays.fill(busy, 50);
        JitWarmup.Outcome outcome = warmup(1_200_000_000, slice("open", busy), slice("closed", busy)).run(() -> false);

        assertThat(ran).containsExactly("open@500000000", "closed@500000000", "open@200000000");
        assertThat(outcome.quiet()).isFalse();
        assertThat(outcome.stopped()).isFalse();
        assertThat(outcome.elapsedNanos()).isEqualTo(1_200_000_000);
    }

    @Test
    void aStopIsSeenBetweenSlices() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        JitWarmup.Slice open = slice("open", 100, 100, 100);
        JitWarmup.Slice stopping = nanos -> {
            stop.set(true);
            return open.run(nanos);
        };

        JitWarmup.Outcome outcome = warmup(60 * SECOND, stopping, slice("closed", 100)).run(stop::get);

        assertThat(ran).containsExactly("open@500000000");
        assertThat(outcome.stopped()).isTrue();
        assertThat(outcome.quiet()).isFalse();
        assertThat(outcome.slices()).isEqualTo(1);
    }

    @Test
    void withoutTheJvmsCompileTimeOneRoundIsQuiet() throws InterruptedException {
        JitWarmup.Outcome outcome = new JitWarmup(List.of(slice("open"), slice("closed")), () -> now, () -> 0,
                SLICE, 60 * SECOND, 0.02, 0).run(() -> false);

        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.slices()).isEqualTo(2);
    }

    @Test
    void refusesSettingsThatCannotEnd() {
        assertThatThrownBy(() -> new JitWarmup(List.of(), () -> 0, () -> 0, SLICE, SECOND, 0.02, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> warmup(0, slice("open"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JitWarmup(List.of(slice("open")), () -> 0, () -> 0, SLICE, SECOND, 1.5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JitWarmup(List.of(slice("open")), () -> 0, () -> 0, SLICE, SECOND, 0.02, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
