package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.barrage.support.BarrageApi;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** With no barrage.cluster.* setting a node is standalone: no Hazelcast member, a cluster of one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandaloneNodeTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void aStandaloneNodeStartsNoHazelcastAndCountsItselfAsTheOnlyMember() throws Exception {
        assertThat(context.getBeanProvider(HazelcastInstance.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(ClusterRuns.class).getIfAvailable()).isNull();
        assertThat(context.getBean("clusterHealthIndicator", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        assertThat(new BarrageApi(port).getJson("/actuator/health").path("status").asString()).isIn("UP", "OUT_OF_SERVICE");
        assertThat(new BarrageApi(port).getOk("/actuator/prometheus")).contains("load_tester_cluster_members 1.0");
    }
}
