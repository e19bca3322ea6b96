package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.ShopTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The shipped dashboard and rules against a real Prometheus scraping a real Barrage: three short
 * runs (a clean closed run, a clean open run, a closed run whose target answers 503) against
 * loopback targets, then every dashboard expression and every rule expression is evaluated through
 * Prometheus' HTTP API at an instant just after the runs, and the per-run panels must show the runs.
 * A fourth, shorter run of a two-step scenario must reach Prometheus as per-step request and check
 * series with exactly the counts of its summary.
 *
 * <p>Skipped, saying so, only when {@code /usr/bin/prometheus} is absent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusEndToEndTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String RUN_DURATION = "4s";
    /** The scenario run only has to leave final per-step counts behind: shorter keeps the test modest. */
    private static final String SCENARIO_DURATION = "2s";
    /** What Grafana would put for its built-in variables; the window covers the whole 4 s runs. */
    private static final Map<String, String> GRAFANA_BUILT_INS = Map.of(
            "__rate_interval", "30s", "__interval", "5s", "__range", "5m");
    /** Per-run series that only a distributed run exports: absent on this standalone node. */
    private static final List<String> CLUSTER_ONLY = List.of("load_tester_run_start_skew_seconds", "load_tester_run_nodes");
    private static final Pattern RULE = Pattern.compile("^\\s*-\\s*(record|alert):\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern GROUP = Pattern.compile("^\\s*-\\s*name:\\s*(\\S+)\\s*$", Pattern.MULTILINE);

    @LocalServerPort
    int port;

    @TempDir
    Path work;

    @Test
    void everyDashboardAndRuleQueryWorksInPrometheusAgainstRealRuns() throws Exception {
        assumeTrue(Tool.present(Tool.PROMETHEUS), Tool.PROMETHEUS + " is absent: this end-to-end test of the dashboard"
                + " and rules is skipped. Install the " + Tool.INSTALL_HINT);
        BarrageApi barrage = new BarrageApi(port);
        JsonNode dashboard = DashboardQueries.read(Deploy.DASHBOARD);

        try (CountingTarget ok = new CountingTarget(200, "status 200");
                CountingTarget busy = new CountingTarget(503, "status 503");
                ShopTarget shop = new ShopTarget(Map.of("a@example.test", "pw1"));
                PrometheusServer prometheus = PrometheusServer.start(work, port, Deploy.RULES)) {
            prometheus.awaitReady(LIMIT);
            // scraping before the runs start, so that their counters are seen growing
            await(prometheus, "up{job=\"barrage\"} == 1", result -> !result.isEmpty(), "Prometheus scraping Barrage");

            String closed = barrage.start(BarrageApi.closed(ok.url(), 3, RUN_DURATION));
            String open = barrage.start(BarrageApi.open(ok.url(), 100, RUN_DURATION));
            String failing = barrage.start(BarrageApi.closed(busy.url(), 1, RUN_DURATION));
            String scenario = barrage.start(twoStepScenario(shop.base()));
            Instant finished = Instant.EPOCH;
            long closedSuccesses = 0;
            JsonNode scenarioSummary = null;
            for (String id : List.of(closed, open, failing, scenario)) {
                JsonNode run = barrage.awaitStatus(id, "COMPLETED", LIMIT);
                finished = max(finished, Instant.parse(run.get("finishedAt").asString()));
                if (id.equals(closed)) {
                    closedSuccesses = run.get("summary").get("successes").asLong();
                }
                if (id.equals(scenario)) {
                    scenarioSummary = run.get("summary");
                }
            }
            assertThat(closedSuccesses).as("requests of the closed run").isPositive();
            // the final counts scraped, and the instant every query is evaluated at: just after the runs
            String finalCount = "load_tester_requests_total{status=\"success\",test=\"" + closed + "\"} == " + closedSuccesses;
            await(prometheus, finalCount, result -> !result.isEmpty(), "Prometheus scraping the closed run's final count");
            Instant at = finished.plusSeconds(1);
            while (Instant.now().isBefore(at.plus(PrometheusServer.SCRAPE_INTERVAL.multipliedBy(2)))) {
                Thread.sleep(200);
            }
            Runs runs = new Runs(closed, open, failing, scenario);
            System.out.printf("Prometheus end-to-end: runs closed=%s open=%s failing=%s scenario=%s, queries at %s%n",
                    closed, open, failing, scenario, at);

            SoftAssertions softly = new SoftAssertions();
            checkScenarioSeries(prometheus, scenario, scenarioSummary, shop, at, softly);
            checkTestVariable(prometheus, dashboard, runs, softly);
            checkDashboardQueries(prometheus, dashboard, runs, at, softly);
            checkRules(prometheus, runs, at, softly);
            softly.assertAll();
        }
    }

    /** Two steps, each with a check or capture, so each has request and check series of its own. */
    private static String twoStepScenario(String shop) {
        return """
                {"name": "two steps", "variables": {"base": "%s"},
                 "data": {"csv": "email,password\\na@example.test,pw1\\n"},
                 "scenarios": [{"name": "visit", "steps": [
                   {"name": "list items", "request": {"url": "{{base}}/items?page=1"}, "checks": [{"status": [200, 299]}]},
                   {"name": "login", "request": {"method": "POST", "url": "{{base}}/login",
                     "headers": {"Content-Type": "application/json"},
                     "body": "{\\"email\\":\\"{{data.email}}\\",\\"password\\":\\"{{data.password}}\\"}"},
                    "capture": [{"jsonPath": "$.token", "as": "token"}]}]}],
                 "workload": {"model": "closed", "concurrency": 2, "duration": "%s"}}"""
                .formatted(shop, SCENARIO_DURATION);
    }

    /**
     * The scenario run's per-step series, in Prometheus after its end, carry exactly its steps' counts:
     * what the shop received, every one a success, every check passed.
     */
    private void checkScenarioSeries(PrometheusServer prometheus, String run, JsonNode summary, ShopTarget shop,
            Instant at, SoftAssertions softly) throws IOException, InterruptedException {
        JsonNode items = summary.get("steps").get("list items");
        JsonNode login = summary.get("steps").get("login");
        assertThat(items.get("requests").asLong()).as("list items requests = what the shop received")
                .isPositive().isEqualTo(shop.received(ShopTarget.Route.ITEMS));
        assertThat(login.get("requests").asLong()).as("login requests = what the shop received")
                .isPositive().isEqualTo(shop.received(ShopTarget.Route.LOGIN));
        assertThat(shop.rejections()).isEmpty();
        String test = "test=\"" + run + "\"";
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("load_tester_requests_total{" + test + ",step=\"list items\",status=\"success\"}",
                items.get("successes").asLong());
        expected.put("load_tester_requests_total{" + test + ",step=\"login\",status=\"success\"}",
                login.get("successes").asLong());
        expected.put("load_tester_checks_total{" + test + ",step=\"list items\",result=\"passed\"}",
                items.get("checks").get("passed").asLong());
        expected.put("load_tester_checks_total{" + test + ",step=\"login\",result=\"passed\"}",
                login.get("checks").get("passed").asLong());
        expected.put("load_tester_checks_total{" + test + ",result=\"failed\"}", 0L);
        expected.put("load_tester_requests_total{" + test + ",status=\"error\"}", 0L);
        assertThat(items.get("checks").get("passed").asLong()).isEqualTo(items.get("requests").asLong());
        assertThat(login.get("checks").get("passed").asLong()).isEqualTo(login.get("requests").asLong());
        for (Map.Entry<String, Long> series : expected.entrySet()) {
            // each of these series must exist with exactly this value once the final scrape is in
            await(prometheus, series.getKey() + " == " + series.getValue(),
                    result -> !result.isEmpty() && result.size() == (series.getKey().contains("step=") ? 1 : 2),
                    "the scenario run's " + series.getKey());
        }
        List<JsonNode> bySteps = series(prometheus.query("sum by (step) (load_tester_requests_total{" + test + "})", at));
        softly.assertThat(bySteps).as("the scenario run's request series, by step")
                .extracting(s -> s.path("metric").path("step").asString())
                .containsExactlyInAnyOrder("list items", "login");
        List<JsonNode> latency = series(prometheus.query(
                "sum by (step) (load_tester_request_latency_seconds_count{" + test + ",status=\"success\"})", at));
        softly.assertThat(latency).as("the scenario run's latency histograms, by step")
                .extracting(s -> s.path("metric").path("step").asString() + "=" + s.path("value").get(1).asString())
                .containsExactlyInAnyOrder("list items=" + items.get("successes").asLong(),
                        "login=" + login.get("successes").asLong());
    }

    private record Runs(String closed, String open, String failing, String scenario) {

        String regex() {
            return "(" + closed + "|" + open + "|" + failing + "|" + scenario + ")";
        }
    }

    /**
     * The {@code test} variable as Grafana computes it: {@code query_result(expr)} lists each series as
     * {@code name{labels sorted} value timestamp}, and the variable's regex takes the run id as the
     * value and its name as the text shown.
     */
    private void checkTestVariable(PrometheusServer prometheus, JsonNode dashboard, Runs runs, SoftAssertions softly)
            throws IOException, InterruptedException {
        JsonNode variable = DashboardQueries.variable(dashboard, "test");
        String definition = variable.path("definition").asString();
        Matcher queryResult = Pattern.compile("query_result\\((.+)\\)").matcher(definition);
        assertThat(queryResult.matches()).as("the test variable is query_result(expr): " + definition).isTrue();
        String regex = variable.path("regex").asString();
        Pattern pick = Pattern.compile(regex.substring(1, regex.length() - 1)); // Grafana writes /.../
        Map<String, String> textByValue = new LinkedHashMap<>();
        for (JsonNode series : series(prometheus.query(queryResult.group(1), Instant.now()))) {
            java.util.TreeMap<String, String> labels = new java.util.TreeMap<>();
            series.path("metric").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
            String name = labels.remove("__name__");
            String line = name + labels.entrySet().stream().map(label -> label.getKey() + "=\"" + label.getValue() + "\"")
                    .collect(java.util.stream.Collectors.joining(",", "{", "}"));
            Matcher picked = pick.matcher(line);
            if (picked.find()) {
                textByValue.put(picked.group("value"), picked.group("text"));
            }
        }
        softly.assertThat(textByValue).as("values and texts of the dashboard's test variable (" + definition + ")")
                .containsKeys(runs.closed(), runs.open(), runs.failing());
        softly.assertThat(textByValue.get(runs.closed())).as("the closed run's name is shown").isNotBlank();
    }

    private void checkDashboardQueries(PrometheusServer prometheus, JsonNode dashboard, Runs runs, Instant at,
            SoftAssertions softly) throws IOException, InterruptedException {
        Map<String, String> variables = new LinkedHashMap<>(GRAFANA_BUILT_INS);
        variables.put("test", runs.regex());
        variables.put("datasource", "prometheus");
        List<DashboardQueries.PanelQuery> queries = DashboardQueries.targets(dashboard);
        assertThat(queries).as("targets in " + Deploy.DASHBOARD).hasSizeGreaterThan(10);
        for (DashboardQueries.PanelQuery query : queries) {
            String promql = DashboardQueries.substitute(query.expr(), variables);
            JsonNode answer = prometheus.query(promql, at);
            List<JsonNode> series = series(answer);
            System.out.printf("  dashboard %-45s %-7s %2d series  %s%n", query, answer.path("status").asString(),
                    series.size(), promql);
            if (!accepted(softly, answer, query + ": " + promql)) {
                continue;
            }
            if (query.expr().contains("jvm_gc_pause")) {
                continue;   // a JVM without a collection since start has no pause series yet: only accepted
            }
            if (CLUSTER_ONLY.stream().anyMatch(query.expr()::contains)) {
                continue;   // only a distributed run has these, and this Barrage is standalone: only accepted
            }
            softly.assertThat(series).as(query + " returns data: " + promql).isNotEmpty();
            if (query.expr().contains("$test") && series.stream().anyMatch(s -> s.path("metric").has("test"))) {
                boolean openModelOnly = query.expr().contains("load_tester_delayed_requests")
                        || query.expr().contains("load_tester_scheduler_lag");
                boolean scenarioOnly = query.expr().contains("load_tester_checks");
                String run = openModelOnly ? runs.open() : scenarioOnly ? runs.scenario() : runs.closed();
                Double value = valueOf(series, run);
                softly.assertThat(value).as(query + " has a value for run " + run + ": " + promql + " -> " + series)
                        .isNotNull();
                if (value != null) {
                    softly.assertThat(Double.isFinite(value)).as(query + " for run " + run + " is finite, not " + value)
                            .isTrue();
                }
            }
            if (query.panel().equals("Request rate")) {
                softly.assertThat(valueOf(series, runs.closed())).as("request rate of the closed run").isPositive();
            }
            if (query.panel().equals("Error rate")) {
                softly.assertThat(valueOf(series, runs.closed())).as("error rate of the clean run").isEqualTo(0.0);
                softly.assertThat(valueOf(series, runs.failing())).as("error rate of the run against a 503 target")
                        .isEqualTo(1.0);
            }
        }
    }

    private void checkRules(PrometheusServer prometheus, Runs runs, Instant at, SoftAssertions softly)
            throws IOException, InterruptedException {
        String file = Files.readString(Deploy.RULES);
        Set<String> ruleNames = names(RULE, file, 2);
        Set<String> groupNames = names(GROUP, file, 1);

        // loaded, every rule evaluated at least once, none in error
        JsonNode groups = awaitRules(prometheus, ruleNames.size());
        Set<String> loadedGroups = new LinkedHashSet<>();
        Set<String> loadedRules = new LinkedHashSet<>();
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : groups) {
            loadedGroups.add(group.path("name").asString());
            for (JsonNode rule : group.path("rules")) {
                loadedRules.add(rule.path("name").asString());
                rules.add(rule);
                softly.assertThat(rule.path("health").asString())
                        .as("health of rule " + rule.path("name").asString() + " (lastError: "
                                + rule.path("lastError").asString() + ")")
                        .isEqualTo("ok");
            }
        }
        softly.assertThat(loadedGroups).as("rule groups Prometheus loaded from " + Deploy.RULES)
                .containsExactlyInAnyOrderElementsOf(groupNames);
        softly.assertThat(loadedRules).as("rules Prometheus loaded from " + Deploy.RULES)
                .containsExactlyInAnyOrderElementsOf(ruleNames);

        for (JsonNode rule : rules) {
            String name = rule.path("name").asString();
            String expr = rule.path("query").asString();
            JsonNode answer = prometheus.query(expr, at);
            List<JsonNode> series = series(answer);
            System.out.printf("  rule %-50s %-7s %2d series  %s%n", name, answer.path("status").asString(),
                    series.size(), expr);
            if (!accepted(softly, answer, "rule " + name + ": " + expr)) {
                continue;
            }
            if (rule.path("type").asString().equals("recording")) {
                softly.assertThat(series).as("recording rule " + name + " has data just after the runs: " + expr)
                        .isNotEmpty();
                softly.assertThat(series(prometheus.query(name, at))).as("series recorded by " + name).isNotEmpty();
            }
            if (name.equals("BarrageRunErrorRateHigh")) {
                softly.assertThat(series).as("runs matching " + name + " (only the run against a 503 target)")
                        .extracting(s -> s.path("metric").path("test").asString())
                        .containsExactly(runs.failing());
            }
            if (name.equals("BarrageDown")) {
                softly.assertThat(series).as("BarrageDown while Barrage is scraped").isEmpty();
            }
        }

        // the error-rate alert, fed by the recording rules, is pending (its `for` is a minute) for the failing run only
        JsonNode alerts = await(prometheus, () -> prometheus.get("/api/v1/alerts").path("data").path("alerts"),
                list -> errorAlertRuns(list).contains(runs.failing()), "BarrageRunErrorRateHigh pending for " + runs.failing());
        softly.assertThat(errorAlertRuns(alerts)).as("runs with BarrageRunErrorRateHigh pending or firing")
                .containsExactly(runs.failing());
    }

    private static List<String> errorAlertRuns(JsonNode alerts) {
        List<String> runs = new ArrayList<>();
        for (JsonNode alert : alerts) {
            if (alert.path("labels").path("alertname").asString().equals("BarrageRunErrorRateHigh")) {
                runs.add(alert.path("labels").path("test").asString());
            }
        }
        return runs;
    }

    private JsonNode awaitRules(PrometheusServer prometheus, int expected) throws IOException, InterruptedException {
        return await(prometheus, () -> prometheus.get("/api/v1/rules").path("data").path("groups"), groups -> {
            int evaluated = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    if (!rule.path("health").asString().equals("unknown")) {
                        evaluated++;
                    }
                }
            }
            return evaluated >= expected;
        }, expected + " rules loaded and evaluated");
    }

    private static boolean accepted(SoftAssertions softly, JsonNode answer, String what) {
        boolean success = answer.path("status").asString().equals("success");
        softly.assertThat(success).as(what + " accepted by Prometheus, not " + answer.path("errorType").asString()
                + ": " + answer.path("error").asString()).isTrue();
        return success;
    }

    private static List<JsonNode> series(JsonNode answer) {
        List<JsonNode> series = new ArrayList<>();
        JsonNode data = answer.path("data");
        if (data.path("resultType").asString().equals("scalar")) {
            series.add(data);
        } else {
            data.path("result").forEach(series::add);
        }
        return series;
    }

    /** The value of the series labelled {@code test=run}, or null. */
    private static Double valueOf(List<JsonNode> series, String run) {
        for (JsonNode s : series) {
            if (s.path("metric").path("test").asString().equals(run)) {
                return Double.parseDouble(s.path("value").get(1).asString());
            }
        }
        return null;
    }

    private static Set<String> names(Pattern pattern, String text, int group) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(group));
        }
        return names;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void await(PrometheusServer prometheus, String promql, Predicate<List<JsonNode>> done, String what)
            throws IOException, InterruptedException {
        await(prometheus, () -> prometheus.query(promql, Instant.now()), answer -> done.test(series(answer)),
                what + " (" + promql + ")");
    }

    private interface Call {
        JsonNode get() throws IOException, InterruptedException;
    }

    private JsonNode await(PrometheusServer prometheus, Call call, Predicate<JsonNode> done, String what)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        JsonNode last;
        do {
            last = call.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no " + what + " within " + LIMIT + "; last answer: " + last
                + "\nprometheus log:\n" + prometheus.logTail());
    }
}
