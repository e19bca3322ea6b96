package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterTimingTest {

    @Test
    void acceptsTheDefaultsAndTheBounds() {
        assertThat(new ClusterTiming(Duration.ofSeconds(2), Duration.ofSeconds(10)).startLead()).hasSeconds(2);
        assertThat(new ClusterTiming(Duration.ofMillis(100), Duration.ofSeconds(3)).silenceLimit()).hasSeconds(3);
        assertThat(new ClusterTiming(Duration.ofMinutes(1), Duration.ofMinutes(10)).silenceLimit()).hasMinutes(10);
    }

    @Test
    void refusesAStartLeadOutsideItsBoundsNamingTheSetting() {
        assertThatThrownBy(() -> new ClusterTiming(Duration.ofMillis(99), Duration.ofSeconds(10)))
                .hasMessage("barrage.cluster.start-lead must be between 100 ms and 60 s (the start message must reach every "
                        + "generator before the start); it is 99 ms");
        assertThatThrownBy(() -> new ClusterTiming(Duration.ofMillis(60_001), Duration.ofSeconds(10)))
                .hasMessageStartingWith("barrage.cluster.start-lead must be between").hasMessageEndingWith("it is 60001 ms");
        assertThatThrownBy(() -> new ClusterTiming(Duration.ofSeconds(-1), Duration.ofSeconds(10)))
                .hasMessageEndingWith("it is -1000 ms");
        assertThatThrownBy(() -> new ClusterTiming(null, Duration.ofSeconds(10))).hasMessageEndingWith("it is not set");
    }

    @Test
    void refusesASilenceLimitOutsideItsBoundsNamingTheSetting() {
        assertThatThrownBy(() -> new ClusterTiming(Duration.ofSeconds(2), Duration.ofMillis(2_999)))
                .hasMessage("barrage.cluster.silence-limit must be between 3000 ms and 600 s (generators ship every second, "
                        + "and one slow second must not make a node lost); it is 2999 ms");
        assertThatThrownBy(() -> new ClusterTiming(Duration.ofSeconds(2), Duration.ofSeconds(601)))
                .hasMessageEndingWith("it is 601000 ms");
    }
}
