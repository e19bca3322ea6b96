package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The split of a plan into execution segments: exact sums, fair shares, each unit dealt once. */
class ExecutionSegmentTest {

    @ParameterizedTest(name = "{0} generators")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 10, 16})
    void theSegmentsOfASplitAddUpToTheWholeAndEachShareIsWithinOneOfItsPart(int generators) {
        List<ExecutionSegment> split = split(generators);
        for (long n = 0; n <= 2_000; n++) {
            long total = 0;
            for (ExecutionSegment segment : split) {
                long share = segment.scale(n);
                total += share;
                assertThat((double) share).as("%s of %d", segment, n).isBetween(n / (double) generators - 1, n / (double) generators + 1);
            }
            assertThat(total).as("the shares of %d", n).isEqualTo(n);
        }
        for (ExecutionSegment segment : split) {
            long owned = 0;
            for (long unit = 0; unit < 500; unit++) {
                assertThat(segment.scale(unit)).as("%s's units below %d", segment, unit).isEqualTo(owned);
                owned += segment.owns(unit) ? 1 : 0;
            }
        }
    }

    @ParameterizedTest(name = "{0} generators")
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void everyUnitBelongsToExactlyOneSegmentAndNthOwnedFindsItsUnits(int generators) {
        List<ExecutionSegment> split = split(generators);
        List<List<Long>> owned = new ArrayList<>();
        split.forEach(segment -> owned.add(new ArrayList<>()));
        for (long unit = 0; unit < 3_000; unit++) {
            int owners = 0;
            for (int k = 0; k < generators; k++) {
                if (split.get(k).owns(unit)) {
                    owners++;
                    owned.get(k).add(unit);
                }
            }
            assertThat(owners).as("owners of unit %d", unit).isEqualTo(1);
        }
        for (int k = 0; k < generators; k++) {
            ExecutionSegment segment = split.get(k);
            List<Long> units = owned.get(k);
            for (int n = 0; n < units.size(); n++) {
                assertThat(segment.nthOwned(n)).as("%s's unit %d", segment, n).isEqualTo(units.get(n));
                assertThat(segment.nextOwned(units.get(n))).isEqualTo(units.get(n));
                if (n > 0) {
                    assertThat(segment.nextOwned(units.get(n - 1) + 1)).isEqualTo(units.get(n));
                }
            }
        }
    }

    @Test
    void threeGeneratorsTakeTheIterationsInTurn() {
        assertThat(owned(ExecutionSegment.of(1, 3), 9)).containsExactly(0L, 3L, 6L);
        assertThat(owned(ExecutionSegment.of(2, 3), 9)).containsExactly(1L, 4L, 7L);
        assertThat(owned(ExecutionSegment.of(3, 3), 9)).containsExactly(2L, 5L, 8L);
        assertThat(ExecutionSegment.of(1, 3).scale(10)).isEqualTo(4);
        assertThat(ExecutionSegment.of(2, 3).scale(10)).isEqualTo(3);
        assertThat(ExecutionSegment.of(3, 3).scale(10)).isEqualTo(3);
    }

    @Test
    void theWholePlanIsUnchanged() {
        ExecutionSegment whole = ExecutionSegment.WHOLE;
        assertThat(whole.isWhole()).isTrue();
        assertThat(whole.scale(12_345)).isEqualTo(12_345);
        assertThat(whole.nthOwned(77)).isEqualTo(77);
        assertThat(whole.nextOwned(5)).isEqualTo(5);
        assertThat(whole).hasToString("0:1");
    }

    @Test
    void aSegmentIsWrittenAndReadAsFractions() {
        assertThat(ExecutionSegment.of(2, 3)).hasToString("1/3:2/3");
        assertThat(ExecutionSegment.of(1, 4)).hasToString("0:1/4");
        assertThat(ExecutionSegment.of(4, 4)).hasToString("3/4:1");
        for (String text : List.of("1/3:2/3", "0:1/4", "3/4:1", "0:1", "2/6:3/6")) {
            ExecutionSegment parsed = ExecutionSegment.parse(text);
            assertThat(ExecutionSegment.parse(parsed.toString()).scale(1_000)).isEqualTo(parsed.scale(1_000));
        }
        assertThat(ExecutionSegment.parse("2/6:3/6").scale(600)).isEqualTo(100);
        assertThat(ExecutionSegment.parse("2/6:3/6")).hasToString("1/3:1/2");
    }

    @Test
    void aSegmentOutsideZeroToOneOrEmptyIsRefused() {
        for (String text : List.of("2/3:1/3", "0:0", "1/2:3/2", "-1/3:1/3", "1/0:1", "a:b", "1/3", "")) {
            assertThatThrownBy(() -> ExecutionSegment.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ExecutionSegment.of(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecutionSegment.of(0, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<ExecutionSegment> split(int generators) {
        List<ExecutionSegment> split = new ArrayList<>();
        for (int k = 1; k <= generators; k++) {
            split.add(ExecutionSegment.of(k, generators));
        }
        return split;
    }

    private static List<Long> owned(ExecutionSegment segment, long below) {
        List<Long> units = new ArrayList<>();
        for (long unit = 0; unit < below; unit++) {
            if (segment.owns(unit)) {
                units.add(unit);
            }
        }
        return units;
    }
}
