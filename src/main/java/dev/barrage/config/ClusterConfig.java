package dev.barrage.config;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.barrage.cluster.ClusterRuns;
import dev.barrage.cluster.ClusterSettings;
import dev.barrage.cluster.ClusterTiming;
import dev.barrage.runs.RunService;
import tools.jackson.databind.json.JsonMapper;
import dev.barrage.cluster.HazelcastSetup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster member, only with {@code barrage.cluster.enabled=true}: a standalone node starts no
 * Hazelcast at all (Boot's own Hazelcast auto-configuration is excluded, so a stray hazelcast.yaml
 * cannot start one either).
 *
 * <p>The setting is read when the service starts, inside the bean methods, not by a bean condition:
 * Spring's build-time (AOT) processing evaluates conditions once, at build time, with the cluster
 * off, so a condition would leave a node started with {@code -Dspring.aot.enabled=true} standalone
 * whatever its settings said. A bean method that returns null leaves no bean behind.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfig {

    @Bean(destroyMethod = "shutdown")
    @Nullable HazelcastInstance hazelcastInstance(BarrageProperties properties) {
        BarrageProperties.Cluster cluster = properties.cluster();
        if (!cluster.enabled()) {
            return null;
        }
        ClusterSettings settings = new ClusterSettings(cluster.name(), cluster.port(), cluster.members(), cluster.secret(),
                cluster.interfaceAddress());
        return Hazelcast.newHazelcastInstance(HazelcastSetup.config(settings));
    }

    /** Distributed runs: only on a cluster member. */
    @Bean(destroyMethod = "close")
    @Nullable ClusterRuns clusterRuns(ObjectProvider<HazelcastInstance> hazelcast, RunService runs, JsonMapper json,
                                      BarrageProperties properties) {
        HazelcastInstance member = hazelcast.getIfAvailable();
        BarrageProperties.Cluster cluster = properties.cluster();
        return member == null ? null
                : new ClusterRuns(member, runs, json, new ClusterTiming(cluster.startLead(), cluster.silenceLimit()));
    }

    /**
     * The "cluster" component of {@code /actuator/health}: DOWN once this node's cluster member has
     * stopped (Hazelcast shut it down), UP otherwise, and always UP on a standalone node.
     */
    @Bean
    HealthIndicator clusterHealthIndicator(ObjectProvider<HazelcastInstance> hazelcast) {
        return () -> {
            int members = members(hazelcast.getIfAvailable());
            return (members == 0 ? Health.down() : Health.up()).withDetail("members", members).build();
        };
    }

    /** {@code load_tester_cluster_members}: the members this node sees (1 for a standalone node). */
    @Bean
    MeterBinder clusterMembers(ObjectProvider<HazelcastInstance> hazelcast) {
        return registry -> Gauge.builder("load_tester_cluster_members", hazelcast, provider -> members(provider.getIfAvailable()))
                .description("Barrage nodes in this node's cluster, itself included (1 when standalone)")
                .register(registry);
    }

    /** The members this node sees, itself included: 1 when standalone, 0 once its member has stopped. */
    static int members(@Nullable HazelcastInstance member) {
        if (member == null) {
            return 1;
        }
        try {
            return member.getLifecycleService().isRunning() ? member.getCluster().getMembers().size() : 0;
        } catch (HazelcastInstanceNotActiveException stoppedMeanwhile) { // a scrape or health check must still answer
            return 0;
        }
    }
}
