package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Three nodes in one JVM apply one test together: the target counts exactly what the merged run
 * reports, the split is even, and every node answers for the run with the same figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedRunTest {

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    private ClusterNodes cluster;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private final List<BarrageApi> apis = new ArrayList<>();
    private CountingTarget target;

    @BeforeAll
    void startTheCluster() throws Exception {
        cluster = ClusterNodes.of(3);
        for (int i = 0; i < 3; i++) {
            nodes.add(cluster.start(i));
        }
        ClusterNodes.awaitMembers(3, JOIN_LIMIT, nodes);
        nodes.forEach(node -> apis.add(ClusterNodes.api(node)));
        target = new CountingTarget(200, "ok");
    }

    @AfterAll
    void stopTheCluster() {
        if (target != null) {
            target.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeNodesSendExactlyTheOpenPlanAndTheMergeCountsEveryRequest() throws Exception {
        long before = target.received();
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 300, "duration": "2s"}, "generators": 3}"""
                .formatted(target.url()));

        JsonNode run = apis.get(0).awaitEnd(id, RUN_LIMIT);

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(run.path("summary").path("requests").asLong()).isEqualTo(600);
        assertThat(target.received() - before).isEqualTo(600);
        assertThat(run.path("distributed").asBoolean()).isTrue();
        JsonNode nodeTable = run.path("nodes");
        assertThat(nodeTable).hasSize(3);
        List<String> segments = new ArrayList<>();
        for (JsonNode node : nodeTable) {
            segments.add(node.path("segment").asString());
            assertThat(node.path("requests").asLong()).isBetween(199L, 201L);
            assertThat(node.path("status").asString()).isEqualTo("completed");
            assertThat(node.path("lost").asBoolean()).isFalse();
            assertThat(node.path("startSkewMs").isNumber()).isTrue();
        }
        assertThat(segments).containsExactly("0:1/3", "1/3:2/3", "2/3:1");
        assertThat(run.path("effectiveLoadFraction").asDouble()).isEqualTo(1.0);
        assertThat(sumOfTimeline(apis.get(1).getJson("/tests/" + id + "/timeline"))).isEqualTo(600);
    }

    @Test
    void everyNodeAnswersForTheRunWithTheSameFigures() throws Exception {
        long before = target.received();
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 6, "duration": "2s"},
                 "generators": "all", "thresholds": ["p99 < 5s"]}""".formatted(target.url()));

        JsonNode atCoordinator = apis.get(0).awaitEnd(id, RUN_LIMIT);
        JsonNode atSecond = apis.get(1).awaitEnd(id, RUN_LIMIT);
        JsonNode atThird = apis.get(2).awaitEnd(id, RUN_LIMIT);

        assertThat(atCoordinator.path("status").asString()).as(atCoordinator.toString()).isEqualTo("COMPLETED");
        long requests = atCoordinator.path("summary").path("requests").asLong();
        assertThat(requests).isPositive().isEqualTo(target.received() - before);
        for (JsonNode other : List.of(atSecond, atThird)) {
            assertThat(other.path("summary")).isEqualTo(atCoordinator.path("summary"));
            assertThat(other.path("verdict").asString()).isEqualTo("PASSED");
            assertThat(other.path("warnings")).isEqualTo(atCoordinator.path("warnings"));
            assertThat(other.path("coordinator")).isEqualTo(atCoordinator.path("coordinator"));
        }
        long nodeRequests = 0;
        for (JsonNode node : atCoordinator.path("nodes")) {
            nodeRequests += node.path("requests").asLong();
        }
        assertThat(nodeRequests).isEqualTo(requests);
        for (BarrageApi api : apis) {
            assertThat(api.getJson("/tests?limit=100").toString()).contains(id);
        }
    }

    private static long sumOfTimeline(JsonNode timeline) {
        long sum = 0;
        for (JsonNode point : timeline) {
            sum += point.path("requests").asLong();
        }
        return sum;
    }
}
