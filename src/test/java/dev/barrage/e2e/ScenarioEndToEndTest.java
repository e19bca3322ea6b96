package dev.barrage.e2e;

import static dev.barrage.support.ShopTarget.Route.ITEMS;
import static dev.barrage.support.ShopTarget.Route.LOGIN;
import static dev.barrage.support.ShopTarget.Route.ORDERS;
import static dev.barrage.support.ShopTarget.Route.ORDER_STATUS;
import static dev.barrage.support.ShopTarget.Route.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.ShopTarget;
import dev.barrage.support.Summaries;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The shop example of API.md ("Scenarios") run by Barrage against a real, strict shop on a loopback
 * port: what the shop received, route by route and iteration by iteration, must be exactly what the
 * summary, its checks, thresholds, timeline and Prometheus series say.
 *
 * <p>Every request step also sends {@code X-Iteration: {{$iteration}}}, so the shop can tie each
 * request to the iteration that sent it: that proves which scenario and data row each iteration
 * took, and which steps were never sent, beyond counting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScenarioEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(40);
    private static final String ALICE = "a@example.test";
    private static final String BOB = "b@example.test";
    /** The shop's accounts. */
    private static final Map<String, String> ACCOUNTS = Map.of(ALICE, "pw1", BOB, "pw2");
    /** The CSV of API.md, written as a JSON string. */
    private static final String USERS = "email,password\\na@example.test,pw1\\nb@example.test,pw2\\n";
    private static final String USERS_BOB_WRONG = "email,password\\na@example.test,pw1\\nb@example.test,not-his\\n";
    private static final String THRESHOLDS = """
            "p95{step=\\"login\\"} < 5s", "checks >= 0.99", "error_rate{scenario=\\"buy\\"} < 0.01\"""";
    private static final List<String> STEPS = List.of("list items", "login", "order", "order status");
    private static final Map<String, ShopTarget.Route> ROUTE_OF_STEP = Map.of(
            "list items", ITEMS, "login", LOGIN, "order", ORDERS, "order status", ORDER_STATUS);

    @LocalServerPort
    int port;

    private BarrageApi barrage;
    private final List<ShopTarget> shops = new ArrayList<>();

    @BeforeEach
    void connect() {
        barrage = new BarrageApi(port);
    }

    @AfterEach
    void stopShops() {
        shops.forEach(ShopTarget::close);
    }

    @Test
    void anOpenRunOfTheShopIsCountedExactlyByStepIterationCheckThresholdAndSeries() throws Exception {
        ShopTarget shop = shop();

        String id = barrage.start(ShopTarget.definition(shop.base(), USERS,
                "{\"model\": \"open\", \"rate\": 40, \"duration\": \"3s\"}", THRESHOLDS));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);
        JsonNode summary = run.get("summary");
        System.out.printf("open shop run %s: iterations %s, dropped %s, steps %s%n", id, summary.get("iterations"),
                summary.get("dropped"), requestsByStep(summary));

        assertStepsAreWhatTheShopReceived(summary, shop);
        assertThat(shop.rejections()).as("requests the shop had to reject").isEmpty();
        assertThat(summary.get("failures").asLong()).isZero();
        assertIterationsAddUp(summary, shop, 0);

        // the plan is 120 iterations, whole cycles of 10: 96 browse and 24 buy, less those dropped at the end
        long dropped = summary.get("dropped").asLong();
        List<Long> sent = iterationsSent(shop);
        assertThat(summary.get("iterations").get("started").asLong()).isEqualTo(120 - dropped).isEqualTo(sent.size());
        assertThat(sent).allMatch(n -> n >= 0 && n < 120);
        if (dropped == 0) {
            assertThat(shop.iterations(ITEMS)).hasSize(96);
            assertThat(shop.iterations(LOGIN)).hasSize(24);
        }
        assertThat(shop.iterations(ITEMS).size() + shop.iterations(LOGIN).size()).isEqualTo(120 - dropped);

        assertShopChecks(summary, 0);
        assertThresholds(run);
        assertThat(thresholdActual(run, 0)).isLessThan(5000.0);
        assertThat(run.get("thresholds").get(0).get("passed").asBoolean()).isTrue();
        assertThat(thresholdActual(run, 2)).isEqualTo(0.0);
        assertThat(run.get("thresholds").get(2).get("passed").asBoolean()).isTrue();
        assertTimelineAddsUpToSteps(id, summary);
        assertStepSeries(id, summary);
    }

    @Test
    void aClosedRunOfTheShopNumbersItsIterationsFromOneCounter() throws Exception {
        ShopTarget shop = shop();

        String id = barrage.start(ShopTarget.definition(shop.base(), USERS,
                "{\"model\": \"closed\", \"concurrency\": 4, \"duration\": \"2s\"}", THRESHOLDS));
        // the live summary, polled while the run goes on, must agree with its own steps at every moment
        List<String> liveDisagreements = new ArrayList<>();
        JsonNode run = barrage.awaitRun(id, live -> {
            String problem = liveProblem(live.get("summary"));
            if (problem != null) {
                liveDisagreements.add(live.get("status").asString() + ": " + problem);
            }
            return live.get("status").asString().equals("COMPLETED");
        }, "COMPLETED", RUN_LIMIT);
        JsonNode summary = run.get("summary");
        System.out.printf("closed shop run %s: iterations %s, steps %s%n", id, summary.get("iterations"),
                requestsByStep(summary));

        assertStepsAreWhatTheShopReceived(summary, shop);
        assertThat(shop.rejections()).as("requests the shop had to reject").isEmpty();
        assertThat(summary.get("failures").asLong()).isZero();
        assertIterationsAddUp(summary, shop, 0);
        long started = summary.get("iterations").get("started").asLong();
        assertThat(started).isGreaterThan(10);
        // users take numbers from one counter: exactly the iterations 0 .. started-1 ran, nothing dropped
        assertThat(iterationsSent(shop)).containsExactlyElementsOf(LongStream.range(0, started).boxed().toList());
        assertThat(summary.hasNonNull("dropped")).as("dropped in a closed run").isFalse();
        assertShopChecks(summary, 0);
        assertThresholds(run);
        assertTimelineAddsUpToSteps(id, summary);
        assertThat(liveDisagreements).as("live summaries whose totals disagree with their steps (no request failed)")
                .isEmpty();
    }

    @Test
    void aLoginThatFailsAbortsItsIterationsAndTheirOrdersAreNeverSent() throws Exception {
        ShopTarget shop = shop();

        String id = barrage.start(ShopTarget.definition(shop.base(), USERS_BOB_WRONG,
                "{\"model\": \"open\", \"rate\": 20, \"duration\": \"2s\"}", "\"checks >= 0.99\", "
                        + "\"error_rate{scenario=\\\"buy\\\"} < 0.01\""));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);
        JsonNode summary = run.get("summary");
        System.out.printf("wrong-password shop run %s: iterations %s, dropped %s, steps %s, logins %s%n", id,
                summary.get("iterations"), summary.get("dropped"), requestsByStep(summary), shop.logins());

        assertStepsAreWhatTheShopReceived(summary, shop);
        assertThat(shop.rejections()).as("requests the shop had to reject (an order sent without a token)").isEmpty();
        List<Long> refused = shop.logins().stream().filter(login -> !login.granted()).map(ShopTarget.Login::iteration)
                .sorted().toList();
        List<Long> granted = shop.logins().stream().filter(ShopTarget.Login::granted).map(ShopTarget.Login::iteration)
                .sorted().toList();
        // of the 40 iterations, 7, 17, 27 and 37 buy with Bob's row (row n mod 2): each one sent is refused
        assertThat(refused).as("refused logins").isNotEmpty().containsExactlyElementsOf(
                shop.iterations(LOGIN).stream().filter(n -> n % 10 == 7).toList());
        assertThat(shop.logins()).filteredOn(login -> !login.granted()).allMatch(login -> login.email().equals(BOB));
        long aborted = summary.get("iterations").get("aborted").asLong();
        assertThat(aborted).isEqualTo(refused.size());
        assertIterationsAddUp(summary, shop, aborted);
        if (summary.get("dropped").asLong() == 0) {
            assertThat(aborted).isEqualTo(4);
        }

        // the aborted iterations sent neither their order nor its status
        Set<Long> refusedSet = new HashSet<>(refused);
        assertThat(shop.iterations(ORDERS)).doesNotContainAnyElementsOf(refusedSet).isSubsetOf(granted);
        assertThat(shop.iterations(ORDER_STATUS)).doesNotContainAnyElementsOf(refusedSet);
        assertThat(shop.orders()).allMatch(order -> order.email().equals(ALICE));
        JsonNode login = summary.get("steps").get("login");
        assertThat(login.get("statusCodes").get("401").asLong()).isEqualTo(refused.size());
        assertThat(login.get("statusCodes").get("200").asLong()).isEqualTo(granted.size());
        assertThat(login.get("failures").asLong()).isEqualTo(refused.size());
        assertThat(summary.get("failures").asLong()).isEqualTo(refused.size());
        JsonNode buy = summary.get("scenarios").get("buy");
        assertThat(buy.get("errorRate").asDouble()).isEqualTo((double) refused.size() / buy.get("requests").asLong());

        JsonNode capture = checkCounts(summary, "login: capture token");
        assertThat(capture.get("failed").asLong()).isEqualTo(aborted);
        assertThat(capture.get("passed").asLong()).isEqualTo(granted.size());
        assertShopChecks(summary, aborted);

        assertThat(run.get("warnings").toString()).contains(aborted + " of " + summary.get("iterations").get("started")
                + " iterations were aborted because a capture found nothing");
        assertThat(run.get("warnings").toString()).contains("'login: capture token' × " + aborted);
        assertThat(thresholdActual(run, 0)).isEqualTo(passedShare(summary.get("checks")));
        assertThat(run.get("thresholds").get(0).get("passed").asBoolean()).isFalse();
        assertThat(thresholdActual(run, 1)).isEqualTo(buy.get("errorRate").asDouble());
        assertThat(run.get("thresholds").get(1).get("passed").asBoolean()).isFalse();
        assertThat(run.get("verdict").asString()).isEqualTo("FAILED");
    }

    @Test
    void aThinkStepWithChecksIsA400NamingTheStep() throws Exception {
        assertSecondStepRefused("{\"think\": \"10ms\", \"checks\": [{\"status\": [200, 299]}]}");
    }

    @Test
    void aStepWithBothARequestAndAThinkIsA400NamingTheStep() throws Exception {
        assertSecondStepRefused("{\"name\": \"again\", \"request\": {\"url\": \"{{base}}/items?page=2\"}, \"think\": \"10ms\"}");
    }

    /** A step is a request (with capture and checks) or a think pause alone: anything else is refused, nothing sent. */
    private void assertSecondStepRefused(String secondStep) throws Exception {
        ShopTarget shop = shop();

        HttpResponse<String> response = barrage.post("/tests", """
                {"variables": {"base": "%s"},
                 "scenarios": [{"name": "browse", "steps": [
                   {"name": "list items", "request": {"url": "{{base}}/items?page=1"}}, %s]}],
                 "workload": {"model": "closed", "concurrency": 1, "duration": "1s"}}"""
                .formatted(shop.base(), secondStep));

        assertThat(response.statusCode()).as("answer to the step " + secondStep + ": " + response.body()).isEqualTo(400);
        JsonNode errors = barrage.json(response).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("field").asString()).isEqualTo("scenarios[0].steps[1]");
        assertThat(shop.receivedInAll()).isZero();
    }

    // --- what every shop run must show -------------------------------------------------------------

    /** Each step's requests are what the shop received on its route; the totals add up. */
    private static void assertStepsAreWhatTheShopReceived(JsonNode summary, ShopTarget shop) {
        Summaries.assertCountsAddUp(summary);
        JsonNode steps = summary.get("steps");
        assertThat(names(steps)).containsExactlyElementsOf(STEPS);
        long sum = 0;
        for (String step : STEPS) {
            JsonNode figures = steps.get(step);
            Summaries.assertCountsAddUp(figures);
            assertThat(figures.get("requests").asLong()).as("requests of step '" + step + "' = what the shop received on "
                    + ROUTE_OF_STEP.get(step)).isEqualTo(shop.received(ROUTE_OF_STEP.get(step)));
            assertThat(figures.get("requests").asLong()).isEqualTo(figures.get("successes").asLong()
                    + figures.get("failures").asLong());
            sum += figures.get("requests").asLong();
        }
        assertThat(shop.received(OTHER)).isZero();
        assertThat(summary.get("requests").asLong()).as("summary.requests = the sum of the steps' requests")
                .isEqualTo(sum).isEqualTo(shop.receivedInAll());
        JsonNode scenarios = summary.get("scenarios");
        assertThat(names(scenarios)).containsExactly("browse", "buy");
        assertThat(scenarios.get("browse").get("requests").asLong()).isEqualTo(requests(summary, "list items"));
        assertThat(scenarios.get("buy").get("requests").asLong())
                .isEqualTo(requests(summary, "login") + requests(summary, "order") + requests(summary, "order status"));
    }

    /**
     * Iterations, counted three ways (the summary, its steps, the shop's X-Iteration log), agree: each
     * iteration ran the scenario its number gives (weights 8 and 2 interleave as A A B A A A A B A A) and
     * the data row its number gives (row n mod 2), and stopped only where the summary says.
     */
    private static void assertIterationsAddUp(JsonNode summary, ShopTarget shop, long abortedAtLogin) {
        JsonNode iterations = summary.get("iterations");
        long started = iterations.get("started").asLong();
        long completed = iterations.get("completed").asLong();
        long aborted = iterations.get("aborted").asLong();
        long interrupted = iterations.get("interrupted").asLong();
        assertThat(started).as("started = completed + aborted + interrupted: " + iterations)
                .isEqualTo(completed + aborted + interrupted);
        assertThat(aborted).isEqualTo(abortedAtLogin);
        long browse = requests(summary, "list items");
        long buy = requests(summary, "login");
        // an iteration's first request is always sent: it starts only before the end
        assertThat(started).isEqualTo(browse + buy);
        // a browse iteration is its one request; a buy iteration completes with its order status
        assertThat(completed).isEqualTo(browse + requests(summary, "order status"));
        assertThat(interrupted).as("buy iterations cut short by the end before their order status")
                .isEqualTo(buy - aborted - requests(summary, "order status"));

        assertThat(shop.iterations(ITEMS)).hasSize((int) browse).allMatch(n -> !buys(n));
        assertThat(shop.iterations(LOGIN)).hasSize((int) buy).allMatch(ScenarioEndToEndTest::buys);
        assertThat(iterationsSent(shop)).doesNotHaveDuplicates();
        assertThat(shop.logins()).allMatch(login -> login.email().equals(login.iteration() % 2 == 0 ? ALICE : BOB),
                "took data row n mod 2");
        // later steps only in iterations whose earlier steps were sent, each once
        assertThat(shop.iterations(ORDERS)).doesNotHaveDuplicates().isSubsetOf(shop.iterations(LOGIN));
        assertThat(shop.iterations(ORDER_STATUS)).doesNotHaveDuplicates().isSubsetOf(shop.iterations(ORDERS));
        assertThat(shop.tokensReused()).as("orders placed with a token of an earlier iteration").isZero();
        assertThat(shop.ordersNeverQueried()).isEqualTo(requests(summary, "order") - requests(summary, "order status"));
    }

    /**
     * The checks of API.md's example, each evaluated once per request of its step; only the duration
     * check may fail without a fault (a slow moment of the machine), and the login capture fails for
     * each aborted iteration.
     */
    private static void assertShopChecks(JsonNode summary, long failedCaptures) {
        Map<String, String> stepOfCheck = new LinkedHashMap<>();
        stepOfCheck.put("list items: status 200-299", "list items");
        stepOfCheck.put("list items: $.items exists", "list items");
        stepOfCheck.put("login: capture token", "login");
        stepOfCheck.put("order: capture orderId", "order");
        stepOfCheck.put("order status: body contains NEW", "order status");
        stepOfCheck.put("order status: duration <= 300ms", "order status");
        JsonNode checks = summary.get("checks");
        assertThat(names(checks.get("byCheck"))).containsExactlyElementsOf(stepOfCheck.keySet());
        long passed = 0;
        long failed = 0;
        Map<String, long[]> byStep = new LinkedHashMap<>();
        for (Map.Entry<String, String> check : stepOfCheck.entrySet()) {
            JsonNode counts = checkCounts(summary, check.getKey());
            long checkPassed = counts.get("passed").asLong();
            long checkFailed = counts.get("failed").asLong();
            assertThat(checkPassed + checkFailed).as("evaluations of '" + check.getKey() + "'")
                    .isEqualTo(requests(summary, check.getValue()));
            if (check.getKey().equals("login: capture token")) {
                assertThat(checkFailed).isEqualTo(failedCaptures);
            } else if (!check.getKey().endsWith("duration <= 300ms")) {
                assertThat(checkFailed).as("failures of '" + check.getKey() + "'").isZero();
            }
            passed += checkPassed;
            failed += checkFailed;
            long[] step = byStep.computeIfAbsent(check.getValue(), s -> new long[2]);
            step[0] += checkPassed;
            step[1] += checkFailed;
        }
        assertThat(checks.get("passed").asLong()).isEqualTo(passed);
        assertThat(checks.get("failed").asLong()).isEqualTo(failed);
        byStep.forEach((step, counts) -> {
            JsonNode stepChecks = summary.get("steps").get(step).get("checks");
            assertThat(stepChecks.get("passed").asLong()).as("checks passed in step " + step).isEqualTo(counts[0]);
            assertThat(stepChecks.get("failed").asLong()).as("checks failed in step " + step).isEqualTo(counts[1]);
        });
    }

    /** The three thresholds of {@link #THRESHOLDS}, with their actual values taken from the summary. */
    private static void assertThresholds(JsonNode run) {
        JsonNode summary = run.get("summary");
        JsonNode thresholds = run.get("thresholds");
        assertThat(thresholds).hasSize(3);
        assertThat(thresholds.get(0).get("expression").asString()).isEqualTo("p95{step=\"login\"} < 5s");
        assertThat(thresholds.get(1).get("expression").asString()).isEqualTo("checks >= 0.99");
        assertThat(thresholds.get(2).get("expression").asString()).isEqualTo("error_rate{scenario=\"buy\"} < 0.01");
        double loginP95 = summary.get("steps").get("login").get("latencyMs").get("p95").asDouble();
        double checks = passedShare(summary.get("checks"));
        double buyErrors = summary.get("scenarios").get("buy").get("errorRate").asDouble();
        assertThat(thresholdActual(run, 0)).isEqualTo(loginP95);
        assertThat(thresholdActual(run, 1)).isEqualTo(checks);
        assertThat(thresholdActual(run, 2)).isEqualTo(buyErrors);
        boolean[] expected = {loginP95 < 5000, checks >= 0.99, buyErrors < 0.01};
        boolean all = true;
        for (int i = 0; i < 3; i++) {
            assertThat(thresholds.get(i).get("passed").asBoolean()).as("passed of " + thresholds.get(i)).isEqualTo(expected[i]);
            all &= expected[i];
        }
        assertThat(run.get("verdict").asString()).isEqualTo(all ? "PASSED" : "FAILED");
    }

    /** Every timeline point has each step's part; over the points they add up to the step's totals. */
    private void assertTimelineAddsUpToSteps(String id, JsonNode summary) throws Exception {
        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");
        assertThat(timeline.size()).isPositive();
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (JsonNode point : timeline) {
            JsonNode steps = point.get("steps");
            assertThat(steps).as("steps of timeline point " + point).isNotNull();
            assertThat(names(steps)).containsExactlyElementsOf(STEPS);
            long pointRequests = 0;
            for (String step : STEPS) {
                long[] sum = sums.computeIfAbsent(step, s -> new long[2]);
                sum[0] += steps.get(step).get("requests").asLong();
                sum[1] += steps.get(step).get("failures").asLong();
                pointRequests += steps.get(step).get("requests").asLong();
            }
            assertThat(pointRequests).as("the steps of point t=" + point.get("t") + " add up to its requests; timeline: "
                    + timeline).isEqualTo(point.get("requests").asLong());
            assertThat(point.get("failures").asLong()).as("failures of point t=" + point.get("t")
                    + " (every request succeeded); timeline: " + timeline).isEqualTo(failures(steps));
        }
        for (String step : STEPS) {
            JsonNode figures = summary.get("steps").get(step);
            assertThat(sums.get(step)[0]).as("timeline requests of step " + step).isEqualTo(figures.get("requests").asLong());
            assertThat(sums.get(step)[1]).as("timeline failures of step " + step).isEqualTo(figures.get("failures").asLong());
        }
    }

    /** The run's per-step series in the scrape say exactly what its steps say. */
    private void assertStepSeries(String id, JsonNode summary) throws Exception {
        String scrape = barrage.getOk("/actuator/prometheus");
        for (String step : STEPS) {
            JsonNode figures = summary.get("steps").get(step);
            assertSample(scrape, "load_tester_requests_total{status=\"success\",step=\"" + step + "\",test=\"" + id + "\"}",
                    figures.get("successes").asLong());
            assertSample(scrape, "load_tester_requests_total{status=\"error\",step=\"" + step + "\",test=\"" + id + "\"}",
                    figures.get("failures").asLong());
            assertSample(scrape, "load_tester_request_latency_seconds_count{status=\"success\",step=\"" + step + "\",test=\""
                    + id + "\"}", figures.get("successes").asLong());
            assertSample(scrape, "load_tester_checks_total{result=\"passed\",step=\"" + step + "\",test=\"" + id + "\"}",
                    figures.get("checks").get("passed").asLong());
            assertSample(scrape, "load_tester_checks_total{result=\"failed\",step=\"" + step + "\",test=\"" + id + "\"}",
                    figures.get("checks").get("failed").asLong());
        }
        assertThat(figuresOf(summary, "login").get("successes").asLong()).isPositive();
        assertThat(figuresOf(summary, "list items").get("checks").get("passed").asLong()).isPositive();
    }

    /** What is wrong with a live summary of a run where nothing fails, or null. */
    private static String liveProblem(JsonNode summary) {
        if (summary == null || summary.get("steps") == null || summary.get("steps").isEmpty()) {
            return null; // not started yet
        }
        long steps = 0;
        for (JsonNode step : summary.get("steps")) {
            steps += step.get("requests").asLong();
        }
        long requests = summary.get("requests").asLong();
        long failures = summary.get("failures").asLong();
        return requests == steps && failures == 0 ? null
                : "requests " + requests + ", failures " + failures + ", steps' requests " + steps;
    }

    // --- the definition ----------------------------------------------------------------------------

    /**
     * API.md's shop example with a shorter think time, the given CSV, workload and thresholds, and an
     * {@code X-Iteration} header on every request step.
     */
    // --- small helpers -----------------------------------------------------------------------------

    /** Weights 8 and 2 in a smooth interleave: A A B A A A A B A A (WeightedCycle). */
    private static boolean buys(long iteration) {
        return iteration % 10 == 2 || iteration % 10 == 7;
    }

    /** The iterations the shop saw start: by their first request, list items or login. */
    private static List<Long> iterationsSent(ShopTarget shop) {
        List<Long> sent = new ArrayList<>(shop.iterations(ITEMS));
        sent.addAll(shop.iterations(LOGIN));
        sent.sort(null);
        return sent;
    }

    private ShopTarget shop() throws Exception {
        ShopTarget shop = new ShopTarget(ACCOUNTS);
        shops.add(shop);
        return shop;
    }

    private static JsonNode figuresOf(JsonNode summary, String step) {
        return summary.get("steps").get(step);
    }

    private static long requests(JsonNode summary, String step) {
        return figuresOf(summary, step).get("requests").asLong();
    }

    private static long failures(JsonNode stepsOfPoint) {
        long failures = 0;
        for (String step : STEPS) {
            failures += stepsOfPoint.get(step).get("failures").asLong();
        }
        return failures;
    }

    private static Map<String, Long> requestsByStep(JsonNode summary) {
        Map<String, Long> requests = new LinkedHashMap<>();
        summary.get("steps").properties().forEach(step -> requests.put(step.getKey(), step.getValue().get("requests").asLong()));
        return requests;
    }

    private static JsonNode checkCounts(JsonNode summary, String check) {
        JsonNode counts = summary.get("checks").get("byCheck").get(check);
        assertThat(counts).as("check '" + check + "' in " + summary.get("checks")).isNotNull();
        return counts;
    }

    private static double passedShare(JsonNode checks) {
        long passed = checks.get("passed").asLong();
        return (double) passed / (passed + checks.get("failed").asLong());
    }

    private static double thresholdActual(JsonNode run, int index) {
        JsonNode actual = run.get("thresholds").get(index).get("actual");
        assertThat(actual.isNumber()).as("actual of " + run.get("thresholds").get(index)).isTrue();
        return actual.asDouble();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    /** The scrape has the sample {@code series} with the value {@code value}, to the last digit. */
    private static void assertSample(String scrape, String series, long value) {
        assertThat(scrape).containsPattern("(?m)^" + Pattern.quote(series) + " " + value + "(\\.0)?$");
    }

    @Test
    void theFailureWarningNamesOnlyStatusesTheirOwnStepCountedAsFailures() throws Exception {
        try (CountingTarget target = new CountingTarget(404, "gone")) {
            String definition = """
                    {"scenarios": [{"name": "misses", "steps": [
                       {"name": "expected miss", "request": {"url": "%s/a"}, "checks": [{"status": [404, 404]}]},
                       {"name": "plain", "request": {"url": "%s/b"}}]}],
                     "workload": {"concurrency": 1, "duration": "1s"}}""".formatted(target.url(), target.url());
            String id = barrage.start(definition);
            JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

            long misses = run.at("/summary/steps/expected miss/requests").asLong();
            long plain = run.at("/summary/steps/plain/requests").asLong();
            assertThat(run.at("/summary/steps/expected miss/failures").asLong()).isZero();
            assertThat(run.at("/summary/failures").asLong()).isEqualTo(plain);
            assertThat(misses + plain).isEqualTo(target.received());
            // the 404s of "expected miss" were its successes: only "plain"'s count as failed statuses
            assertThat(run.get("warnings").toString()).contains("status 404 × " + plain + ".")
                    .doesNotContain("status 404 × " + (misses + plain));
        }
    }

}
