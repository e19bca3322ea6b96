package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The warm-up's floor from the JVM's compile thresholds, as HotSpot prints its options. */
class JitThresholdsTest {

    @Test
    void twiceTheOptimisingCompilersCallThreshold() {
        assertThat(JitThresholds.requestsPerModel(Map.of("Tier4InvocationThreshold", "5000")::get)).isEqualTo(10_000);
        // what -XX:CompileThresholdScaling=10 makes of it: HotSpot scales the option itself
        assertThat(JitThresholds.requestsPerModel(Map.of("Tier4InvocationThreshold", "50000")::get)).isEqualTo(100_000);
    }

    @Test
    void aJvmWithoutTheOptionOrWithAnOddValueGetsHotSpotsDefault() {
        assertThat(JitThresholds.requestsPerModel(name -> null)).isEqualTo(10_000);
        assertThat(JitThresholds.requestsPerModel(Map.of("Tier4InvocationThreshold", "lots")::get)).isEqualTo(10_000);
        assertThat(JitThresholds.requestsPerModel(Map.of("Tier4InvocationThreshold", "-1")::get)).isEqualTo(10_000);
    }

    @Test
    void thisJvmAnswersItsOwnFloor() {
        // surefire's JVM runs with HotSpot's default thresholds
        assertThat(JitThresholds.requestsPerModel()).isEqualTo(10_000);
    }
}
