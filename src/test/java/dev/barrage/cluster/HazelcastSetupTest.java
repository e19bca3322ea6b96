package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The member's configuration: the secret guards the join, nothing is discovered or phoned home. */
class HazelcastSetupTest {

    private static final ClusterSettings SETTINGS =
            new ClusterSettings("load", 5801, List.of("10.0.0.1:5801", "node-2.barrage:5801"), "s3cret", "10.0.0.1");

    @Test
    void theClusterNameCarriesAFingerprintOfTheSecretNeverTheSecret() {
        String name = HazelcastSetup.clusterName(SETTINGS);
        assertThat(name).startsWith("load-").hasSize("load-".length() + 32).doesNotContain("s3cret");
        assertThat(HazelcastSetup.clusterName(SETTINGS)).isEqualTo(name);
        assertThat(HazelcastSetup.clusterName(new ClusterSettings("load", 5801, List.of(), "other", null))).isNotEqualTo(name);
        assertThat(HazelcastSetup.clusterName(new ClusterSettings("other", 5801, List.of(), "s3cret", null)))
                .startsWith("other-").doesNotEndWith(name.substring(5));
    }

    @Test
    void membersAreJoinedByTheirListOnlyAndNothingIsPhonedHome() {
        Config config = HazelcastSetup.config(SETTINGS);
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5801", "node-2.barrage:5801");
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.1");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    }

    @Test
    void aClusterWithoutASecretOrWithAPortRangeDoesNotStart() {
        assertThatThrownBy(() -> new ClusterSettings("load", 5701, List.of(), " ", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("barrage.cluster.secret");
        assertThatThrownBy(() -> new ClusterSettings("load", 5701, List.of("127.0.0.1:5701-5703"), "s", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port ranges");
        assertThatThrownBy(() -> new ClusterSettings("load", 5701, List.of("127.0.0.1"), "s", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThat(new ClusterSettings("load", 5701, List.of("[::1]:5701"), "s", null).members()).containsExactly("[::1]:5701");
    }
}
