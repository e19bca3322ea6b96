package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three Barrage nodes as three JVM processes, as they are deployed: together they send exactly the
 * planned open-model load, every node reports its start skew, and a coordinator killed with SIGKILL
 * leaves its run to the oldest member left, which finishes it.
 */
class SeparateProcessesTest {

    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);

    @Test
    void threeProcessesSendTheExactPlanAndSurviveTheCoordinatorsKill() throws Exception {
        ClusterNodes cluster = ClusterNodes.of(3);
        List<NodeProcess> processes = new ArrayList<>();
        try (CountingTarget target = new CountingTarget(200, "ok")) {
            for (int i = 0; i < 3; i++) {
                List<String> arguments = cluster.arguments(i, ClusterNodes.SECRET); // --server.port=0 among them
                processes.add(NodeProcess.start(Path.of("target", "cluster-processes", "node-" + i + ".log"),
                        arguments.toArray(String[]::new)));
            }
            List<BarrageApi> apis = new ArrayList<>();
            for (NodeProcess process : processes) {
                apis.add(new BarrageApi(process.awaitPort(START_LIMIT)));
            }
            ClusterNodes.awaitMembers(3, START_LIMIT, apis, "the processes");

            String exact = apis.get(0).start("""
                    {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 300, "duration": "3s"}, "generators": 3}"""
                    .formatted(target.url()));
            JsonNode run = apis.get(0).awaitEnd(exact, RUN_LIMIT);
            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
            long requests = run.path("summary").path("requests").asLong();
            long dropped = run.path("summary").path("dropped").asLong(); // a cold JVM on a busy core may miss one
            assertThat(requests).isEqualTo(target.received());
            assertThat(requests + dropped).as("the plan, every request sent or said dropped").isEqualTo(900);
            for (JsonNode node : run.path("nodes")) {
                assertThat(node.path("requests").asLong()).isBetween(300 - dropped, 300L);
                assertThat(node.path("startSkewMs").asDouble()).isBetween(0.0, 1000.0);
            }
            System.out.println("Start skew of three processes, ms: "
                    + run.path("nodes").valueStream().map(node -> node.path("startSkewMs").asString()).toList());

            String survivor = apis.get(0).start("""
                    {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 3, "duration": "6s"},
                     "generators": 3, "onNodeLoss": "continue"}""".formatted(target.url()));
            apis.get(1).awaitRun(survivor, candidate -> candidate.path("lastCompleteSecond").asLong() >= 2,
                    "two seconds merged", RUN_LIMIT);
            processes.get(0).kill();
            JsonNode adopted = apis.get(1).awaitEnd(survivor, RUN_LIMIT);

            assertThat(adopted.path("status").asString()).as(adopted.toString()).isEqualTo("COMPLETED");
            assertThat(adopted.path("nodes").get(0).path("lost").asBoolean()).isTrue();
            assertThat(adopted.path("coordinator").asString()).isNotEqualTo(adopted.path("nodes").get(0).path("member").asString());
            assertThat(adopted.path("effectiveLoadFraction").asDouble()).isLessThan(1.0).isGreaterThan(2.0 / 3);
            assertThat(apis.get(2).awaitEnd(survivor, RUN_LIMIT).path("summary")).isEqualTo(adopted.path("summary"));
        } finally {
            for (NodeProcess process : processes) {
                process.close();
            }
        }
    }
}
