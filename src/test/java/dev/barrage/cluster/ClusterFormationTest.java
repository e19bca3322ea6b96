package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.barrage.support.ClusterNodes;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three Barrage nodes in one JVM form one cluster over a TCP-IP member list on 127.0.0.1; a node
 * that does not present the cluster's secret is not let in.
 */
class ClusterFormationTest {

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);

    @Test
    void threeNodesFormOneClusterAndTellItInTheirMetrics() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.of(3)) {
            List<ConfigurableApplicationContext> nodes = List.of(cluster.start(0), cluster.start(1), cluster.start(2));

            ClusterNodes.awaitMembers(3, JOIN_LIMIT, nodes);

            for (ConfigurableApplicationContext node : nodes) {
                assertThat(ClusterNodes.api(node).getOk("/actuator/prometheus")).contains("load_tester_cluster_members 3.0");
                assertThat(clusterHealth(node).getStatus()).isEqualTo(Status.UP);
                assertThat(clusterHealth(node).getDetails()).containsEntry("members", 3);
            }

            ClusterNodes.hazelcast(nodes.get(2)).shutdown();

            assertThat(clusterHealth(nodes.get(2)).getStatus()).as("a node whose member stopped").isEqualTo(Status.DOWN);
            assertThat(ClusterNodes.api(nodes.get(2)).getOk("/actuator/prometheus")).contains("load_tester_cluster_members 0.0");
            HttpResponse<String> health = ClusterNodes.api(nodes.get(2)).get("/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DOWN\"");
        }
    }

    @Test
    void aMemberWithoutTheSecretIsRefusedAtJoin() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.of(3)) {
            List<ConfigurableApplicationContext> members = List.of(cluster.start(0), cluster.start(1));
            ClusterNodes.awaitMembers(2, JOIN_LIMIT, members);

            ConfigurableApplicationContext intruder = cluster.startWithSecret(2, "not-the-secret");

            Thread.sleep(3_000); // a join takes about a second here: give a wrongful one time to happen
            ClusterNodes.awaitMembers(2, JOIN_LIMIT, members);
            HazelcastInstance alone = ClusterNodes.hazelcast(intruder);
            assertThat(alone.getCluster().getMembers()).as("the intruder is on its own").hasSize(1);
            assertThat(ClusterNodes.api(intruder).getOk("/actuator/prometheus")).contains("load_tester_cluster_members 1.0");
        }
    }

    static Health clusterHealth(ConfigurableApplicationContext node) {
        return node.getBean("clusterHealthIndicator", HealthIndicator.class).health();
    }
}
