package dev.barrage.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeightedCycleTest {

    @Test
    void weightsEightAndTwoGiveExactly800And200Of1000Iterations() {
        WeightedCycle cycle = new WeightedCycle(8, 2);

        long first = LongStream.range(0, 1000).filter(n -> cycle.scenarioOf(n) == 0).count();

        assertThat(first).isEqualTo(800);
        assertThat(cycle.cycleLength()).isEqualTo(10);
    }

    @Test
    void theInterleaveIsSmoothNotBlocks() {
        WeightedCycle cycle = new WeightedCycle(8, 2);

        int[] tenIterations = IntStream.range(0, 10).map(cycle::scenarioOf).toArray();

        assertThat(tenIterations).containsExactly(0, 0, 1, 0, 0, 0, 0, 1, 0, 0);
    }

    @Test
    void everyWholeCycleHoldsEachScenarioExactlyItsWeightWhereverItStarts() {
        int[] weights = {5, 3, 1, 7};
        WeightedCycle cycle = new WeightedCycle(weights);

        for (long start : new long[] {0, 1, 7, 1_000_003, Long.MAX_VALUE - 32}) {
            int[] counts = new int[weights.length];
            for (long n = start; n < start + cycle.cycleLength(); n++) {
                counts[cycle.scenarioOf(n)]++;
            }
            assertThat(counts).as("a cycle starting at %d", start).containsExactly(weights);
        }
    }

    @Test
    void theScenarioOfAnIterationDoesNotDependOnWhoAskedBefore() {
        WeightedCycle one = new WeightedCycle(3, 2);
        WeightedCycle other = new WeightedCycle(3, 2);
        int asked = other.scenarioOf(999); // a second generator asks out of order

        assertThat(IntStream.range(0, 100).map(one::scenarioOf).toArray())
                .containsExactly(IntStream.range(0, 100).map(other::scenarioOf).toArray());
        assertThat(asked).isEqualTo(one.scenarioOf(999));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001})
    void aWeightOutOfRangeIsRefused(int weight) {
        assertThatThrownBy(() -> new WeightedCycle(1, weight)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 1000");
    }

    @Test
    void noScenarioOrMoreThan50AreRefused() {
        assertThatThrownBy(WeightedCycle::new).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeightedCycle(new int[51])).isInstanceOf(IllegalArgumentException.class);
    }
}
