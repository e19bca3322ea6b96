package dev.barrage.engine.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PacerTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    static Stream<Arguments> dueTimes() {
        return Stream.of(
                // pacer, hit, due (ns)
                Arguments.of(new ConstantRate(500, 4 * S), 0L, 0L),
                Arguments.of(new ConstantRate(500, 4 * S), 1L, 2 * MS),
                Arguments.of(new ConstantRate(500, 4 * S), 1999L, 3998 * MS),
                Arguments.of(new ConstantRate(500, 4 * S), 2000L, Pacer.NEVER),
                Arguments.of(new ConstantRate(0.5, 10 * S), 1L, 2 * S),
                Arguments.of(new ConstantRate(0.5, 10 * S), 4L, 8 * S),
                Arguments.of(new ConstantRate(0.5, 10 * S), 5L, Pacer.NEVER),
                Arguments.of(new ConstantRate(0, 10 * S), 0L, Pacer.NEVER),
                Arguments.of(new ConstantRate(1_000_000, S), 999_999L, 999_999_000L),
                Arguments.of(new ConstantRate(1_000_000, S), 1_000_000L, Pacer.NEVER),
                // 0 -> 100/s over 10 s: hits by t = 5 t^2, so hit 20 is due at 2 s, hit 500 never
                Arguments.of(new LinearRamp(0, 100, 10 * S), 0L, 0L),
                Arguments.of(new LinearRamp(0, 100, 10 * S), 20L, 2 * S),
                Arguments.of(new LinearRamp(0, 100, 10 * S), 405L, 9 * S),
                Arguments.of(new LinearRamp(0, 100, 10 * S), 500L, Pacer.NEVER),
                // 100 -> 0 over 10 s: hits by t = 100 t - 5 t^2: hit 500 never, hit 95 at 1 s
                Arguments.of(new LinearRamp(100, 0, 10 * S), 95L, S),
                Arguments.of(new LinearRamp(100, 0, 10 * S), 499L, 9_552_786_404L),
                Arguments.of(new LinearRamp(100, 0, 10 * S), 500L, Pacer.NEVER),
                // a flat ramp is a constant rate
                Arguments.of(new LinearRamp(200, 200, 2 * S), 399L, 1995 * MS),
                // stages: ramp 0 -> 100 over 2 s (100 hits), hold 100/s for 1 s (100 hits), 100 -> 0 over 2 s (100 hits)
                Arguments.of(threeStages(), 25L, S),
                Arguments.of(threeStages(), 100L, 2 * S),
                Arguments.of(threeStages(), 150L, 2500 * MS),
                Arguments.of(threeStages(), 275L, 4 * S),
                Arguments.of(threeStages(), 300L, Pacer.NEVER));
    }

    @ParameterizedTest(name = "{0}: hit {1} due at {2} ns")
    @MethodSource("dueTimes")
    void dueTimes(Pacer pacer, long hit, long expectedDue) {
        long due = pacer.dueNanos(hit);
        if (expectedDue == Pacer.NEVER) {
            assertThat(due).isEqualTo(Pacer.NEVER);
        } else {
            assertThat(due).isBetween(expectedDue - 2, expectedDue + 2);
        }
    }

    @ParameterizedTest(name = "{0}/s for {1} s")
    @org.junit.jupiter.params.provider.CsvSource({"900, 1", "300, 1", "7, 3", "3, 7", "1000, 2", "33.3, 3", "0.5, 3"})
    void aConstantRatePlansExactlyRateTimesDurationHitsWhateverTheRoundingOfItsInterval(double rate, int seconds) {
        ConstantRate pacer = new ConstantRate(rate, seconds * 1_000_000_000L);
        long expected = (long) Math.ceil(rate * seconds - 1e-9);
        for (long n = 0; n < expected; n++) {
            assertThat(pacer.dueNanos(n)).as("hit %d", n).isNotEqualTo(Pacer.NEVER).isLessThan(seconds * 1_000_000_000L);
        }
        assertThat(pacer.dueNanos(expected)).as("hit %d", expected).isEqualTo(Pacer.NEVER);
    }

    @Test
    void theNthDueTimeOfAConstantPacerNeverDriftsFromNOverRate() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 2_000; trial++) {
            double rate = 0.01 + random.nextDouble() * 100_000;
            long duration = 3600 * S;
            ConstantRate pacer = new ConstantRate(rate, duration);
            long n = random.nextLong((long) (rate * 3600));
            double exact = n * 1e9 / rate;
            assertThat((double) pacer.dueNanos(n)).as("rate %s hit %d", rate, n).isCloseTo(exact, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void dueTimesAreNonDecreasingAndTheTotalIsTheIntegralOfTheRate() {
        for (Pacer pacer : List.<Pacer>of(new ConstantRate(333.3, 3 * S), new LinearRamp(7, 911, 5 * S),
                new LinearRamp(911, 7, 5 * S), threeStages(),
                Stages.of(List.of(new Stages.Stage(1500 * MS, 3.3), new Stages.Stage(700 * MS, 0), new Stages.Stage(S, 50))))) {
            long previous = -1;
            long hits = 0;
            for (long n = 0; pacer.dueNanos(n) != Pacer.NEVER; n++) {
                long due = pacer.dueNanos(n);
                assertThat(due).as("%s hit %d", pacer, n).isGreaterThanOrEqualTo(previous).isLessThan(pacer.durationNanos());
                previous = due;
                hits++;
            }
            assertThat(hits).as("%s", pacer).isEqualTo(pacer.totalHits());
            assertThat((double) hits).isCloseTo(pacer.hitsBefore(pacer.durationNanos()), org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void vegetasQuestionHowLongUntilTheNextHit() {
        ConstantRate pacer = new ConstantRate(10, 10 * S);

        assertThat(pacer.waitNanos(0, 0)).isZero();
        assertThat(pacer.waitNanos(50 * MS, 1)).isEqualTo(50 * MS);
        assertThat(pacer.waitNanos(S, 3)).isEqualTo(-700 * MS);
        assertThat(pacer.waitNanos(9 * S, 100)).isEqualTo(Pacer.NEVER);
    }

    @Test
    void ratesFollowTheStages() {
        Stages stages = threeStages();

        assertThat(stages.rateAt(0)).isZero();
        assertThat(stages.rateAt(S)).isEqualTo(50.0);
        assertThat(stages.rateAt(2500 * MS)).isEqualTo(100.0);
        assertThat(stages.rateAt(4 * S)).isEqualTo(50.0);
        assertThat(stages.rateAt(5 * S)).isZero();
        assertThat(stages.durationNanos()).isEqualTo(5 * S);
        assertThat(stages.totalHits()).isEqualTo(300);
    }

    @Test
    void usersJoinAndLeaveAtEachWholeNumberOfTheTarget() {
        // 0 -> 4 users over 4 s, hold 1 s, 4 -> 0 over 2 s
        Stages users = Stages.of(List.of(new Stages.Stage(4 * S, 4), new Stages.Stage(S, 4), new Stages.Stage(2 * S, 0)));

        assertThat(users.nextWholeChangeNanos(0)).isEqualTo(S);
        assertThat(users.nextWholeChangeNanos(S)).isEqualTo(2 * S);
        assertThat(users.nextWholeChangeNanos(3500 * MS)).isEqualTo(4 * S);
        assertThat(users.nextWholeChangeNanos(4 * S)).isEqualTo(5 * S);
        assertThat(users.nextWholeChangeNanos(5 * S)).isEqualTo(5 * S + 1);
        assertThat(Math.floor(users.valueAt(5 * S + 1))).isEqualTo(3.0);
        assertThat(users.nextWholeChangeNanos(5 * S + 1)).isEqualTo(5500 * MS + 1);
        assertThat(users.nextWholeChangeNanos(7 * S)).isEqualTo(Pacer.NEVER);
    }

    @Test
    void invalidPlansAreRefused() {
        assertThatThrownBy(() -> new ConstantRate(-1, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConstantRate(Double.NaN, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConstantRate(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinearRamp(1, Double.POSITIVE_INFINITY, S)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stages.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Stages threeStages() {
        return Stages.of(List.of(new Stages.Stage(2 * S, 100), new Stages.Stage(S, 100), new Stages.Stage(2 * S, 0)));
    }
}
