package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.AggregationLane;
import dev.barrage.support.BarrageApi;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A node of a distributed run leaves mid-run: under abort the run ends FAILED naming it, under continue
 * it completes with the lost share said; a lost coordinator's run is finished by the oldest member left;
 * a node that stops shipping while it still answers the cluster's heartbeats is lost all the same.
 */
class NodeLossTest {

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    private ClusterNodes cluster;
    private List<ConfigurableApplicationContext> nodes;
    private CountingTarget target;

    @BeforeEach
    void startTheCluster() throws Exception {
        cluster = ClusterNodes.of(3);
        nodes = List.of(cluster.start(0), cluster.start(1), cluster.start(2));
        ClusterNodes.awaitMembers(3, JOIN_LIMIT, nodes);
        target = new CountingTarget(200, "ok");
    }

    @AfterEach
    void stopTheCluster() {
        target.close();
        cluster.close();
    }

    @Test
    void aNodeLostUnderAbortEndsTheRunFailedNamingIt() throws Exception {
        BarrageApi coordinator = ClusterNodes.api(nodes.get(0));
        String id = coordinator.start(definition("abort"));
        awaitRunningEverywhere(coordinator, id);
        String lostMember = ClusterNodes.member(nodes.get(2));
        String survivor = ClusterNodes.member(nodes.get(1));

        ClusterNodes.kill(nodes.get(2));
        JsonNode run = coordinator.awaitEnd(id, RUN_LIMIT);

        assertThat(run.path("summary").path("elapsedSeconds").asDouble()).as("stopped at the loss, before the planned 8 s")
                .isLessThan(7.5);
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.path("failureReason").asString()).contains(lostMember).contains("left the cluster").contains("abort");
        assertThat(run.path("warnings").toString()).contains(lostMember);
        JsonNode lost = node(run, lostMember);
        assertThat(lost.path("lost").asBoolean()).isTrue();
        assertThat(lost.path("status").asString()).isEqualTo("lost");
        assertThat(node(run, survivor).path("status").asString()).isEqualTo("cancelled");
        assertThat(run.path("summary").path("requests").asLong()).isPositive().isLessThanOrEqualTo(target.received());
        assertThat(ClusterNodes.api(nodes.get(1)).awaitEnd(id, RUN_LIMIT).path("summary"))
                .isEqualTo(run.path("summary"));
    }

    @Test
    void aNodeLostUnderContinueLeavesTheOthersToFinishWithTheLostShareSaid() throws Exception {
        BarrageApi coordinator = ClusterNodes.api(nodes.get(0));
        String id = coordinator.start(definition("continue"));
        awaitRunningEverywhere(coordinator, id);
        String lostMember = ClusterNodes.member(nodes.get(2));

        ClusterNodes.kill(nodes.get(2));
        JsonNode run = coordinator.awaitEnd(id, RUN_LIMIT);

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(node(run, lostMember).path("lost").asBoolean()).isTrue();
        assertThat(node(run, ClusterNodes.member(nodes.get(0))).path("status").asString()).isEqualTo("completed");
        assertThat(node(run, ClusterNodes.member(nodes.get(1))).path("status").asString()).isEqualTo("completed");
        double fraction = run.path("effectiveLoadFraction").asDouble();
        assertThat(fraction).isGreaterThan(2.0 / 3).isLessThan(1.0);
        assertThat(run.path("warnings").toString()).contains("onNodeLoss is continue").contains("effectiveLoadFraction");
    }

    @Test
    void aLostCoordinatorsRunIsFinishedByTheOldestMemberLeft() throws Exception {
        BarrageApi coordinator = ClusterNodes.api(nodes.get(0));
        String id = coordinator.start(definition("continue"));
        String firstCoordinator = awaitRunningEverywhere(coordinator, id).path("coordinator").asString();
        assertThat(firstCoordinator).isEqualTo(ClusterNodes.member(nodes.get(0)));
        // the oldest member left: members are listed oldest first
        String oldestLeft = ClusterNodes.hazelcast(nodes.get(1)).getCluster().getMembers().stream()
                .filter(member -> !member.getUuid().equals(ClusterNodes.hazelcast(nodes.get(0)).getCluster().getLocalMember().getUuid()))
                .map(member -> member.getAddress().getHost() + ":" + member.getAddress().getPort()).findFirst().orElseThrow();

        ClusterNodes.kill(nodes.get(0));
        BarrageApi adopter = ClusterNodes.api(nodes.get(1));
        JsonNode run = adopter.awaitEnd(id, RUN_LIMIT);

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(run.path("coordinator").asString()).isEqualTo(oldestLeft);
        assertThat(node(run, firstCoordinator).path("lost").asBoolean()).isTrue();
        assertThat(run.path("effectiveLoadFraction").asDouble()).isLessThan(1.0);
        assertThat(ClusterNodes.api(nodes.get(2)).awaitEnd(id, RUN_LIMIT).path("summary")).isEqualTo(run.path("summary"));
    }

    @Test
    void aNodeThatStopsShippingWhileStillAMemberIsLostWithinTheSilenceLimit() throws Exception {
        BarrageApi coordinator = ClusterNodes.api(nodes.get(0));
        String id = coordinator.start(definition("continue"));
        awaitRunningEverywhere(coordinator, id);
        String stalled = ClusterNodes.member(nodes.get(2));

        long stalledAt = System.nanoTime();
        nodes.get(2).getBean(AggregationLane.class).close(); // its samples, and so its shipments, stop; it stays a member
        JsonNode run = coordinator.awaitRun(id, candidate -> node(candidate, stalled).path("lost").asBoolean(),
                "the stalled node lost", RUN_LIMIT);

        // the silence limit after the coordinator merged its last shipment (up to a second's interval and
        // a poll before the stall), then the coordinator's next poll; slack for a busy machine
        double silentSeconds = (System.nanoTime() - stalledAt) / 1e9;
        assertThat(silentSeconds).as("declared lost after the silence limit, not before")
                .isGreaterThanOrEqualTo(ClusterNodes.SILENCE_LIMIT.toSeconds() - 2.0)
                .isLessThan(ClusterNodes.SILENCE_LIMIT.toSeconds() + 5.0);
        assertThat(ClusterNodes.hazelcast(nodes.get(0)).getCluster().getMembers()).as("still a member").hasSize(3);
        JsonNode ended = coordinator.awaitEnd(id, RUN_LIMIT);
        assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("COMPLETED");
        assertThat(ended.path("warnings").toString()).contains(stalled);
        assertThat(ended.path("effectiveLoadFraction").asDouble()).isLessThan(1.0);
    }

    private String definition(String onNodeLoss) {
        return """
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 3, "duration": "8s"},
                 "generators": 3, "onNodeLoss": "%s"}""".formatted(target.url(), onNodeLoss);
    }

    private static JsonNode node(JsonNode run, String member) {
        for (JsonNode node : run.path("nodes")) {
            if (node.path("member").asString().equals(member)) {
                return node;
            }
        }
        throw new AssertionError(member + " is not in the nodes of " + run);
    }

    /** Waits until every generator has reported a second of load; answers the run then. */
    private static JsonNode awaitRunningEverywhere(BarrageApi api, String id) throws Exception {
        return api.awaitRun(id, run -> {
            JsonNode table = run.path("nodes");
            if (table.size() != 3) {
                return false;
            }
            for (JsonNode node : table) {
                if (node.path("lastSecond").asLong() < 2) {
                    return false;
                }
            }
            return true;
        }, "running on every node", RUN_LIMIT);
    }
}
