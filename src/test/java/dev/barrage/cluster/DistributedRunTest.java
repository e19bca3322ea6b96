package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.Browser;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.ShopTarget;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

    /** Each test starts with every node free: the previous test's run has ended on all of them, not only where it looked. */
    @BeforeEach
    void everyNodeHasEndedThePreviousRun() throws Exception {
        for (BarrageApi api : apis) {
            api.awaitNoUnfinishedRuns(RUN_LIMIT);
        }
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
        long requests = run.path("summary").path("requests").asLong();
        long dropped = run.path("summary").path("dropped").asLong(); // a generator on a busy core may miss one
        assertThat(requests).isEqualTo(target.received() - before);
        assertThat(requests + dropped).as("the plan, every request sent or said dropped").isEqualTo(600);
        assertThat(run.path("distributed").asBoolean()).isTrue();
        JsonNode nodeTable = run.path("nodes");
        assertThat(nodeTable).hasSize(3);
        List<String> segments = new ArrayList<>();
        for (JsonNode node : nodeTable) {
            segments.add(node.path("segment").asString());
            assertThat(node.path("requests").asLong()).isBetween(199L - dropped, 201L);
            assertThat(node.path("status").asString()).isEqualTo("completed");
            assertThat(node.path("lost").asBoolean()).isFalse();
            assertThat(node.path("startSkewMs").isNumber()).isTrue();
        }
        assertThat(segments).containsExactly("0:1/3", "1/3:2/3", "2/3:1");
        assertThat(run.path("effectiveLoadFraction").asDouble()).isEqualTo(1.0);
        apis.get(1).awaitEnd(id, RUN_LIMIT); // each node ends the run when it has merged the last shipments
        assertThat(sumOfTimeline(apis.get(1).getJson("/tests/" + id + "/timeline"))).isEqualTo(requests);
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

    @Test
    void eachNodeExportsItsOwnShareWithANodeLabelAndTheirSumIsTheRun() throws Exception {
        long outcomesBefore = runsTotal();
        String id = apis.get(1).start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 200, "duration": "1s"}, "generators": 3}"""
                .formatted(target.url()));
        JsonNode run = apis.get(1).awaitEnd(id, RUN_LIMIT);
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");

        long sum = 0;
        for (BarrageApi api : apis) {
            String metrics = api.getOk("/actuator/prometheus");
            Matcher share = Pattern.compile("load_tester_requests_total\\{node=\"([^\"]+)\",status=\"success\",step=\"request\",test=\""
                    + id + "\"} ([0-9.E]+)").matcher(metrics);
            assertThat(share.find()).as("a share with a node label in "
                    + metrics.lines().filter(line -> line.contains(id)).toList()).isTrue();
            sum += (long) Double.parseDouble(share.group(2));
            assertThat(metrics).contains("load_tester_run_nodes{test=\"" + id + "\"} 3.0");
            assertThat(metrics).containsPattern("load_tester_run_start_skew_seconds\\{node=\"[^\"]+\",test=\"" + id + "\"}");
        }
        assertThat(sum).isEqualTo(run.path("summary").path("successes").asLong());
        assertThat(sum + run.path("summary").path("dropped").asLong()).isEqualTo(200);
        for (BarrageApi api : apis) {
            api.awaitEnd(id, RUN_LIMIT);
        }
        assertThat(runsTotal() - outcomesBefore).as("the run counted once in the cluster, on its coordinator").isEqualTo(1);
    }

    @Test
    void aNonCoordinatorStreamsTheRunsEventsAndServesItsReportAndPage() throws Exception {
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 100, "duration": "2s"}, "generators": 2}"""
                .formatted(target.url()));

        HttpResponse<String> events = apis.get(2).send(apis.get(2).request("/tests/" + id + "/events"),
                HttpResponse.BodyHandlers.ofString());
        String report = apis.get(2).getOk("/tests/" + id + "/report");

        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("event:snapshot").contains("event:end").contains("\"nodes\"");
        assertThat(report).contains("\"distributed\":true").contains("\"segment\":\"1/2:1\"");
        assertThat(apis.get(2).getOk("/runs/" + id)).contains("<html");
    }

    @Test
    void aRunStartedTheMomentTheLastOneEndedFindsEveryGeneratorFree() throws Exception {
        // every node frees its slot when its own load ends, before its last interval is shipped, so
        // none still holds the first run when the coordinator has merged its end
        for (int run = 0; run < 3; run++) {
            String id = apis.get(0).start("""
                    {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 60, "duration": "1s"}, "generators": 3}"""
                    .formatted(target.url()));
            JsonNode ended = apis.get(0).awaitEnd(id, RUN_LIMIT);

            assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("COMPLETED");
            assertThat(ended.path("summary").path("requests").asLong() + ended.path("summary").path("dropped").asLong())
                    .isEqualTo(60);
        }
    }

    @Test
    void aRunCancelledOnANonCoordinatorStopsEverywhere() throws Exception {
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": 3, "duration": "30s"}, "generators": 3}"""
                .formatted(target.url()));
        apis.get(2).awaitRun(id, run -> run.path("lastCompleteSecond").asLong() >= 1, "a second merged", RUN_LIMIT);

        assertThat(apis.get(2).cancel(id).statusCode()).isEqualTo(202);

        for (BarrageApi api : apis) {
            JsonNode run = api.awaitEnd(id, RUN_LIMIT);
            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("CANCELLED");
            assertThat(run.path("progress").asDouble()).isLessThan(0.5);
            for (JsonNode node : run.path("nodes")) {
                assertThat(node.path("status").asString()).isEqualTo("cancelled");
            }
        }
    }

    @Test
    void aQueuedRunIsShownByEveryNodeAndCancelledFromAnyOfThem() throws Exception {
        String busy = apis.get(0).start(BarrageApi.closed(target.url(), 1, "30s"));
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 10, "duration": "2s"}, "generators": 2}"""
                .formatted(target.url()));
        try {
            for (BarrageApi api : apis) {
                assertThat(api.getJson("/tests/" + id).path("status").asString()).isEqualTo("QUEUED");
            }
            assertThat(apis.get(1).cancel(id).statusCode()).isEqualTo(202);
            for (BarrageApi api : apis) {
                JsonNode run = api.awaitEnd(id, RUN_LIMIT);
                assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("CANCELLED");
                assertThat(run.path("warnings").toString()).contains("never applied load");
                assertThat(run.path("startedAt").isNull()).isTrue();
            }
        } finally {
            apis.get(0).cancel(busy);
            apis.get(0).awaitEnd(busy, RUN_LIMIT);
        }
    }

    @Test
    void theShopsScenariosSplitOverThreeNodesAreCountedExactlyWithTheirDataRowsAndChecks() throws Exception {
        try (ShopTarget shop = new ShopTarget(Map.of("a@example.test", "pw1", "b@example.test", "pw2"))) {
            String definition = ShopTarget.definition(shop.base(), "email,password\\na@example.test,pw1\\nb@example.test,pw2\\n",
                    "{\"model\": \"open\", \"rate\": 40, \"duration\": \"3s\"}", "\"checks >= 0.99\"")
                    .replaceFirst("\\{", "{\"generators\": 3,");
            String id = apis.get(0).start(definition);
            JsonNode run = apis.get(0).awaitEnd(id, RUN_LIMIT);
            JsonNode summary = run.path("summary");

            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("COMPLETED");
            assertThat(shop.rejections()).isEmpty();
            Map<String, ShopTarget.Route> routes = Map.of("list items", ShopTarget.Route.ITEMS, "login", ShopTarget.Route.LOGIN,
                    "order", ShopTarget.Route.ORDERS, "order status", ShopTarget.Route.ORDER_STATUS);
            routes.forEach((step, route) -> assertThat(summary.path("steps").path(step).path("requests").asLong())
                    .as(step).isEqualTo(shop.received(route)));
            long dropped = summary.path("dropped").asLong();
            List<Long> started = new ArrayList<>(shop.iterations(ShopTarget.Route.ITEMS));
            started.addAll(shop.iterations(ShopTarget.Route.LOGIN));
            assertThat(started).as("each iteration of the whole plan sent by one node, once").doesNotHaveDuplicates()
                    .hasSize((int) (120 - dropped)).allMatch(n -> n >= 0 && n < 120);
            for (ShopTarget.Login login : shop.logins()) {
                assertThat(login.email()).as("data row of iteration " + login.iteration() + " in sequence order")
                        .isEqualTo(login.iteration() % 2 == 0 ? "a@example.test" : "b@example.test");
                assertThat(login.granted()).isTrue();
            }
            assertThat(summary.path("checks").path("failed").asLong()).isZero();
            assertThat(summary.path("checks").path("passed").asLong()).isPositive();
            assertThat(run.path("verdict").asString()).isEqualTo("PASSED");
            assertThat(apis.get(2).awaitEnd(id, RUN_LIMIT).path("summary")).isEqualTo(summary);
        }
    }

    @Test
    void aNonCoordinatorsRunPageShowsTheGenerators() throws Exception {
        String id = apis.get(0).start("""
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 90, "duration": "1s"}, "generators": 3}"""
                .formatted(target.url()));
        JsonNode run = apis.get(2).awaitEnd(id, RUN_LIMIT);

        try (Browser browser = Browser.start()) {
            browser.open(apis.get(2).base() + "/runs/" + id);
            browser.await("the generators", Duration.ofSeconds(30), () -> browser.findAll("#run-nodes tbody tr").size() == 3);

            String table = browser.find("#run-nodes").getText();
            for (JsonNode node : run.path("nodes")) {
                assertThat(table).contains(node.path("member").asString()).contains(node.path("segment").asString());
            }
            assertThat(browser.findAll("#run-nodes tbody tr")).allMatch(row -> row.getText().contains("completed"));
            assertThat(browser.find("#run-nodes-meta").getText()).contains(run.path("coordinator").asString())
                    .contains("effective load fraction 1");
        }
    }

    /** load_tester_runs_total summed over the nodes and outcomes. */
    private long runsTotal() throws Exception {
        long sum = 0;
        for (BarrageApi api : apis) {
            sum += runsTotal(api.getOk("/actuator/prometheus"));
        }
        return sum;
    }

    private static long runsTotal(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("load_tester_runs_total{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static long sumOfTimeline(JsonNode timeline) {
        long sum = 0;
        for (JsonNode point : timeline) {
            sum += point.path("requests").asLong();
        }
        return sum;
    }
}
