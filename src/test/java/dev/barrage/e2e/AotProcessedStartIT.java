package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.NodeProcess;
import dev.barrage.support.Summaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The built jar started with Spring's build-time (AOT) processing, {@code -Dspring.aot.enabled=true},
 * as the Dockerfile and the README's fast start run it: its bean definitions were fixed at build time
 * with the defaults, and what a user sets at start-up must still hold, or the start must fail saying
 * so. Runs after the jar is packaged (failsafe), since the processing happens then.
 */
class AotProcessedStartIT {

    /** C1 alone: these starts check what the context holds, not how fast it runs. */
    private static final List<String> AOT = List.of("-Dspring.aot.enabled=true", "-Xmx256m", "-XX:TieredStopAtLevel=1");
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
    private static final String API_KEY = "aot-test-key";

    private static Path jar() {
        Path jar = Path.of(System.getProperty("barrage.jar", "missing: run through ./mvnw verify"));
        assertThat(jar).as("the packaged jar").isRegularFile();
        return jar;
    }

    private static Path log(String name) {
        return Path.of("target", "aot-processed-start", name + ".log");
    }

    @Test
    void aNodeServesTheApiChecksDefinitionsAndKeysWarmsUpAndSendsTheExactPlan() throws Exception {
        try (CountingTarget target = new CountingTarget(200, "ok");
             NodeProcess node = NodeProcess.startJar(jar(), AOT, log("single"),
                     "--server.port=0", "--server.address=127.0.0.1", "--barrage.security.api-key=" + API_KEY,
                     "--barrage.warmup.max-duration=3s")) {
            int port = node.awaitPort(START_LIMIT);
            assertThat(Files.readString(node.log())).contains("Starting AOT-processed BarrageApplication");
            BarrageApi api = new BarrageApi(port, API_KEY);

            assertThat(new BarrageApi(port).post("/tests", BarrageApi.closed(target.url(), 1, "1s")).statusCode())
                    .as("no key, no test").isEqualTo(401);
            var invalid = api.post("/tests", "{\"request\": {\"url\": \"" + target.url() + "\"}}");
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
            assertThat(api.getOk("/v3/api-docs")).contains("\"/tests\"");
            assertThat(api.getOk("/actuator/prometheus")).contains("load_tester_cluster_members 1.0");

            JsonNode run = api.awaitEnd(api.start(BarrageApi.closed(target.url(), 2, "1s")), RUN_LIMIT);

            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
            Summaries.assertCountsAddUp(run.path("summary"));
            assertThat(run.path("summary").path("requests").asLong()).isPositive().isEqualTo(target.received());
            assertThat(api.getJson("/actuator/health/readiness").path("status").asString())
                    .as("the warm-up has ended before a run starts").isEqualTo("UP");
        }
    }

    @Test
    void twoNodesFormAClusterAndSendTheExactPlanTogether() throws Exception {
        ClusterNodes cluster = ClusterNodes.of(2);
        List<NodeProcess> nodes = new ArrayList<>();
        try (CountingTarget target = new CountingTarget(200, "ok")) {
            for (int i = 0; i < 2; i++) {
                List<String> arguments = cluster.arguments(i, ClusterNodes.SECRET); // --server.port=0 among them
                arguments.add("--barrage.warmup.enabled=false");
                nodes.add(NodeProcess.startJar(jar(), AOT, log("cluster-" + i), arguments.toArray(String[]::new)));
            }
            List<BarrageApi> apis = new ArrayList<>();
            for (NodeProcess node : nodes) {
                apis.add(new BarrageApi(node.awaitPort(START_LIMIT)));
            }
            ClusterNodes.awaitMembers(2, START_LIMIT, apis, "the AOT-processed nodes");

            JsonNode run = apis.get(0).awaitEnd(apis.get(0).start("""
                    {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 2, "duration": "2s"}, "generators": 2}"""
                    .formatted(target.url())), RUN_LIMIT);

            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
            assertThat(run.path("nodes")).hasSize(2);
            long requests = run.path("summary").path("requests").asLong();
            assertThat(requests).isPositive().isEqualTo(target.received());
            List<Long> shares = run.path("nodes").valueStream().map(node -> node.path("requests").asLong()).toList();
            assertThat(shares).as("both generators sent").allMatch(sent -> sent > 0);
            assertThat(shares.stream().mapToLong(Long::longValue).sum()).as("the shares add up to the whole").isEqualTo(requests);
            assertThat(apis.get(1).awaitEnd(run.path("id").asString(), RUN_LIMIT).path("summary")).isEqualTo(run.path("summary"));
        } finally {
            for (NodeProcess node : nodes) {
                node.close();
            }
        }
    }

    @Test
    void theActuatorOnAPortOfItsOwnStopsTheStartWithAMessageRatherThanStayingOnTheMainPort() throws Exception {
        try (NodeProcess node = NodeProcess.startJar(jar(), AOT, log("management-port"),
                "--server.port=0", "--management.server.port=0", "--barrage.warmup.enabled=false")) {
            int exit = node.awaitExit(START_LIMIT);

            assertThat(exit).isNotZero();
            assertThat(Files.readString(node.log()))
                    .contains("management.server.port=0")
                    .contains("start without -Dspring.aot.enabled=true")
                    .doesNotContain("Tomcat started on port");
        }
    }
}
