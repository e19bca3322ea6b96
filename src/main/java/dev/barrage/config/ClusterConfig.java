package dev.barrage.config;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.barrage.cluster.ClusterRuns;
import dev.barrage.cluster.ClusterSettings;
import dev.barrage.runs.RunService;
import tools.jackson.databind.json.JsonMapper;
import dev.barrage.cluster.HazelcastSetup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster member, only with {@code barrage.cluster.enabled=true}: a standalone node starts no
 * Hazelcast at all (Boot's own Hazelcast auto-configuration is excluded, so a stray hazelcast.yaml
 * cannot start one either).
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfig {

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnProperty(prefix = "barrage.cluster", name = "enabled", havingValue = "true")
    HazelcastInstance hazelcastInstance(BarrageProperties properties) {
        BarrageProperties.Cluster cluster = properties.cluster();
        ClusterSettings settings = new ClusterSettings(cluster.name(), cluster.port(), cluster.members(), cluster.secret(),
                cluster.interfaceAddress());
        return Hazelcast.newHazelcastInstance(HazelcastSetup.config(settings));
    }

    /** Distributed runs: only on a cluster member. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(prefix = "barrage.cluster", name = "enabled", havingValue = "true")
    ClusterRuns clusterRuns(HazelcastInstance hazelcast, RunService runs, JsonMapper json) {
        return new ClusterRuns(hazelcast, runs, json);
    }

    /** {@code load_tester_cluster_members}: the members this node sees (1 for a standalone node). */
    @Bean
    MeterBinder clusterMembers(ObjectProvider<HazelcastInstance> hazelcast) {
        return registry -> Gauge.builder("load_tester_cluster_members", hazelcast, members -> {
                    HazelcastInstance instance = members.getIfAvailable();
                    return instance == null ? 1 : instance.getLifecycleService().isRunning() ? instance.getCluster().getMembers().size() : 0;
                })
                .description("Barrage nodes in this node's cluster, itself included (1 when standalone)")
                .register(registry);
    }
}
