package dev.barrage.engine;

import static dev.barrage.engine.EngineRuns.awaitUntil;
import static dev.barrage.engine.EngineRuns.summaryOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.ScriptedTargetTransport.Request;
import dev.barrage.engine.ScriptedTargetTransport.Response;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.recording.CheckCounts;
import dev.barrage.engine.recording.GroupSummary;
import dev.barrage.engine.recording.Iterations;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.Capture;
import dev.barrage.engine.scenario.Check;
import dev.barrage.engine.scenario.DataTable;
import dev.barrage.engine.scenario.JsonPath;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.scenario.WeightedCycle;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Scenario runs through {@link LoadEngine} against a scripted target on a fake clock: the target
 * parses the bytes it is sent and counts them, and the summary must agree with it exactly.
 */
class ScenarioRunTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("test-vu-", 0).factory();
    /** Per-step histograms keep 2 significant digits: a recorded 10 ms reads back within 1 %. */
    private static final Offset<Double> HISTOGRAM_PRECISION = Offset.offset(0.1);

    private final ScenarioPlanBuilder plan = new ScenarioPlanBuilder();

    // ---- weights -------------------------------------------------------------------------------

    @Test
    void weightsEightAndTwoSplitAThousandOpenModelIterationsIntoExactly800And200() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step browse = plan.request("browse items", plan.template("GET", "/browse?i={{$iteration}}", null));
        Step buy = plan.request("buy item", plan.template("GET", "/buy?i={{$iteration}}", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("browse", browse), scenario("buy", buy)), 8, 2);
        RunRecorder recorder = plan.recorder();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> Response.status(200));
        // four workers: the scenario of an iteration depends on its number only, not on who runs it
        OpenWorkload workload = new OpenWorkload(new ConstantRate(1000, S), 4);

        LoadRun run = new LoadEngine(clock).start(workload, scenarios, new Transport[] {target}, recorder, VIRTUAL);
        // every hit falls due while the clock stands just short of the end, so none can find the run over
        clock.advance(Duration.ofMillis(999));
        awaitUntil(() -> target.received.size() == 1000);
        clock.advance(Duration.ofMillis(1));
        Summary summary = summaryOf(run, recorder, scenarios, workload);

        assertThat(summary.iterations()).isEqualTo(new Iterations(1000, 1000, 0, 0));
        assertThat(summary.dropped()).isZero();
        assertThat(target.receivedOn("/browse")).hasSize(800);
        assertThat(target.receivedOn("/buy")).hasSize(200);
        assertThat(summary.scenarios().get("browse").requests()).isEqualTo(800);
        assertThat(summary.scenarios().get("buy").requests()).isEqualTo(200);
        assertEachIterationRanItsCyclesScenarioOnce(target, scenarios.cycle(), 1000);
    }

    @Test
    void weightsEightAndTwoSplitAThousandClosedModelIterationsIntoExactly800And200() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step browse = plan.request("browse items", plan.template("GET", "/browse?i={{$iteration}}", null));
        Step buy = plan.request("buy item", plan.template("GET", "/buy?i={{$iteration}}", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("browse", browse), scenario("buy", buy)), 8, 2);
        RunRecorder recorder = plan.recorder();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            return Response.status(200);
        });

        // one user taking 1 ms a request fits exactly 1,000 iterations into a second
        Summary summary = runClosed(clock, 1, Duration.ofSeconds(1), scenarios, recorder, target);

        assertThat(target.receivedOn("/browse")).hasSize(800);
        assertThat(target.receivedOn("/buy")).hasSize(200);
        assertThat(summary.iterations()).isEqualTo(new Iterations(1000, 1000, 0, 0));
        assertEachIterationRanItsCyclesScenarioOnce(target, scenarios.cycle(), 1000);
    }

    @Test
    void closedModelUsersTakeIterationNumbersFromOneCounterSoTheWeightsHoldOverAllOfThem() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step browse = plan.request("browse items", plan.template("GET", "/browse?i={{$iteration}}", null));
        Step buy = plan.request("buy item", plan.template("GET", "/buy?i={{$iteration}}", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("browse", browse), scenario("buy", buy)), 8, 2);
        RunRecorder recorder = plan.recorder();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            return Response.status(200);
        });

        Summary summary = runClosed(clock, 3, Duration.ofMillis(200), scenarios, recorder, target);

        // the three users' requests share the clock: about 200, each iteration number taken once
        long n = summary.iterations().started();
        assertThat(n).isBetween(200L, 203L);
        assertThat(summary.iterations()).isEqualTo(new Iterations(n, n, 0, 0));
        assertEachIterationRanItsCyclesScenarioOnce(target, scenarios.cycle(), n);
        assertThat(target.receivedOn("/buy")).hasSize((int) scenarioCount(scenarios.cycle(), n, 1));
        assertThat(target.receivedOn("/browse")).hasSize((int) scenarioCount(scenarios.cycle(), n, 0));
        assertThat(summary.scenarios().get("buy").requests()).isEqualTo(target.receivedOn("/buy").size());
    }

    // ---- captures ------------------------------------------------------------------------------

    @Test
    void aJsonCaptureFromLoginIsSentInTheNextStepsHeader() throws Exception {
        FakeClock clock = FakeClock.manual();
        Capture token = plan.jsonCapture("token", "$.session.token");
        Step login = plan.request("login", plan.template("POST", "/login", "{\"user\":\"u\"}"), List.of(token), List.of());
        Step order = plan.request("order", plan.template("POST", "/orders", "{\"qty\":1}",
                "Authorization: Bearer {{token}}"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("buy", login, order)), 1);
        RunRecorder recorder = plan.recorder();
        Map<Integer, String> issued = new ConcurrentHashMap<>();
        AtomicInteger tokens = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            if (request.path().equals("/login")) {
                String value = "tok-" + tokens.incrementAndGet();
                issued.put(request.session(), value);
                return Response.json(200, "{\"user\":{\"id\":7},\"session\":{\"ttl\":60,\"token\":\"" + value + "\"}}");
            }
            // the token of the login just before, on the same user's connection, and only once
            String expected = "Bearer " + issued.remove(request.session());
            if (!request.headers("Authorization").equals(List.of(expected))) {
                wrong.add("expected " + expected + ", got " + request.headers("Authorization"));
            }
            return Response.status(201);
        });

        Summary summary = runClosed(clock, 2, Duration.ofMillis(200), scenarios, recorder, target);

        List<Request> orders = target.receivedOn("/orders");
        assertThat(orders).isNotEmpty();
        assertThat(wrong).isEmpty();
        long logins = target.receivedOn("/login").size();
        assertThat(summary.checks().byCheck()).isEqualTo(Map.of("login: capture token", new CheckCounts(logins, 0)));
        assertThat(summary.iterations().aborted()).isZero();
        assertThat(summary.iterations().completed()).isEqualTo(orders.size());
        assertIterationsAddUp(summary);
    }

    @Test
    void aCaptureThatFindsNothingAbortsTheIterationBeforeItsNextStepAndCountsAsAFailedCheck() throws Exception {
        FakeClock clock = FakeClock.manual();
        Capture token = plan.jsonCapture("token", "$.token");
        Step login = plan.request("login", plan.template("POST", "/login", "{}"), List.of(token), List.of());
        Step order = plan.request("order", plan.template("POST", "/orders", "{}", "Authorization: Bearer {{token}}"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("buy", login, order)), 1);
        RunRecorder recorder = plan.recorder();
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean lastLoginRefused = new AtomicBoolean();
        List<String> ordersAfterARefusal = Collections.synchronizedList(new ArrayList<>());
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            if (request.path().equals("/orders")) {
                if (lastLoginRefused.get()) {
                    ordersAfterARefusal.add(request.header("Authorization"));
                }
                return Response.status(201);
            }
            boolean refuse = logins.incrementAndGet() % 3 == 0;
            lastLoginRefused.set(refuse);
            if (refuse) {
                refused.incrementAndGet();
                return Response.json(403, "{\"error\":\"locked\"}");
            }
            return Response.json(200, "{\"token\":\"t" + logins.get() + "\"}");
        });

        Summary summary = runClosed(clock, 1, Duration.ofMillis(300), scenarios, recorder, target);

        assertThat(refused.get()).isPositive();
        assertThat(ordersAfterARefusal).isEmpty();
        Iterations iterations = summary.iterations();
        assertThat(iterations.aborted()).isEqualTo(refused.get());
        assertThat(iterations.started()).isEqualTo(logins.get());
        assertThat(iterations.completed()).isEqualTo(target.receivedOn("/orders").size());
        assertIterationsAddUp(summary);
        assertThat(summary.checks().byCheck())
                .isEqualTo(Map.of("login: capture token", new CheckCounts(logins.get() - refused.get(), refused.get())));
        assertThat(summary.checks().failed()).isEqualTo(refused.get());
        assertThat(summary.steps().get("order").requests()).isEqualTo(target.receivedOn("/orders").size());
    }

    // ---- think time ----------------------------------------------------------------------------

    @Test
    void aPauseSendsTheNextStepAtTheEndOfThePreviousPlusTheThinkTimeInTheClosedModel() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step login = plan.request("login", plan.template("POST", "/login", "{}"));
        Step profile = plan.request("profile", plan.template("GET", "/profile", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("visit", login, Step.think(500 * MS), profile)), 1);
        RunRecorder recorder = plan.recorder();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(10));
            return Response.status(200);
        });
        long start = clock.nanoTime();

        LoadRun run = new LoadEngine(clock).start(ClosedWorkload.constant(1, Duration.ofMillis(1500)), scenarios,
                new Transport[] {target}, recorder, VIRTUAL);
        // time moves only with requests and here: when the user pauses (the controller waits for the
        // end meanwhile), the clock moves by exactly the pause
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!run.completion().isDone()) {
            if (clock.waiting() == 2) {
                clock.advance(Duration.ofMillis(500));
            }
            assertThat(System.nanoTime()).as("the run should have ended").isLessThan(guard);
            Thread.onSpinWait();
        }
        Summary summary = summaryOf(run, recorder, scenarios, null);

        // iterations of 10 ms + 500 ms + 10 ms: the third one's pause ends after the 1.5 s
        assertThat(sentAtMillis(target.receivedOn("/login"), start)).containsExactly(0L, 520L, 1040L);
        assertThat(sentAtMillis(target.receivedOn("/profile"), start)).containsExactly(510L, 1030L);
        assertThat(summary.iterations()).isEqualTo(new Iterations(3, 2, 0, 1));
        assertThat(summary.steps().get("profile").latencyMs().max()).isCloseTo(10.0, HISTOGRAM_PRECISION);
    }

    @Test
    void inTheOpenModelALaterStepsLatencyCountsFromItsOwnPlannedStartNotFromTheIterationsDueTime() throws Exception {
        // one worker; iterations due every 100 ms but taking 10 + 200 + 10 ms, so each starts later
        // than it was due: iteration k starts at 220k ms, due at 100k ms
        FakeClock clock = FakeClock.movedByRequests();
        Step search = plan.request("search", plan.template("GET", "/search", null));
        Step open = plan.request("open result", plan.template("GET", "/result", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("find", search, Step.think(200 * MS), open)), 1);
        RunRecorder recorder = plan.recorder();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.parkUntil(clock.nanoTime() + 10 * MS);
            return Response.status(200);
        });
        OpenWorkload workload = new OpenWorkload(new ConstantRate(10, S), 1);
        long start = clock.nanoTime();

        LoadRun run = new LoadEngine(clock).start(workload, scenarios, new Transport[] {target}, recorder, VIRTUAL);
        Summary summary = summaryOf(run, recorder, scenarios, workload);

        List<Long> searches = sentAtMillis(target.receivedOn("/search"), start);
        List<Long> results = sentAtMillis(target.receivedOn("/result"), start);
        assertThat(searches).containsExactly(0L, 220L, 440L, 660L, 880L);
        // each second step goes at the end of the first (+10 ms) plus the pause (+200 ms); the fifth
        // would go at 1,090 ms, after the end
        assertThat(results).containsExactly(210L, 430L, 650L, 870L);
        assertThat(summary.iterations()).isEqualTo(new Iterations(5, 4, 0, 1));
        assertThat(summary.dropped()).isEqualTo(5);
        // the first step's latency counts from the iteration's due time: 120k + 10 ms
        assertThat(summary.steps().get("search").latencyMs().min()).isCloseTo(10.0, HISTOGRAM_PRECISION);
        assertThat(summary.steps().get("search").latencyMs().max()).isCloseTo(490.0, Offset.offset(4.9)); // steps keep 1 %
        // the second step's from its own planned start, whatever the iteration's lateness
        assertThat(summary.steps().get("open result").latencyMs().min()).isCloseTo(10.0, HISTOGRAM_PRECISION);
        assertThat(summary.steps().get("open result").latencyMs().max()).isCloseTo(10.0, HISTOGRAM_PRECISION);
    }

    // ---- data ----------------------------------------------------------------------------------

    @Test
    void dataInSequenceOrderGivesIterationNRowNModRowsWrappingAround() throws Exception {
        FakeClock clock = FakeClock.manual();
        String[][] rows = {{"a@example.test", "pw-a"}, {"b@example.test", "pw-b"}, {"c@example.test", "pw-c"}};
        plan.data(new DataTable(List.of("email", "password"), rows, false));
        Step login = plan.request("login", plan.template("POST", "/login?i={{$iteration}}",
                "{\"email\":\"{{data.email}}\",\"password\":\"{{data.password}}\"}"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("login", login)), 1);
        ScriptedTargetTransport target = oneMillisecondTarget(clock);

        runClosed(clock, 2, Duration.ofMillis(100), scenarios, plan.recorder(), target);

        assertThat(target.received).hasSizeGreaterThanOrEqualTo(100).allSatisfy(request -> {
            String[] row = rows[(int) (Long.parseLong(request.query("i")) % rows.length)];
            assertThat(request.body()).isEqualTo("{\"email\":\"" + row[0] + "\",\"password\":\"" + row[1] + "\"}");
        });
    }

    @Test
    void dataInRandomOrderUsesOnlyTheRowsGivenAndEachRowWhole() throws Exception {
        FakeClock clock = FakeClock.manual();
        String[][] rows = {{"a@example.test", "pw-a"}, {"b@example.test", "pw-b"}, {"c@example.test", "pw-c"}};
        plan.data(new DataTable(List.of("email", "password"), rows, true));
        Step login = plan.request("login", plan.template("POST", "/login", "{{data.email}}:{{data.password}}"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("login", login)), 1);
        ScriptedTargetTransport target = oneMillisecondTarget(clock);

        runClosed(clock, 1, Duration.ofMillis(300), scenarios, plan.recorder(), target);

        Set<String> wholeRows = Set.of("a@example.test:pw-a", "b@example.test:pw-b", "c@example.test:pw-c");
        List<String> bodies = target.received.stream().map(Request::body).toList();
        assertThat(bodies).hasSize(300).allSatisfy(body -> assertThat(wholeRows).contains(body));
        // 300 draws from 3 rows all missing one row: a chance below 1e-52
        assertThat(Set.copyOf(bodies)).isEqualTo(wholeRows);
    }

    @Test
    void aLongDataValueWithAnAccentNearItsStartIsSentWhole() throws Exception {
        // longer than twice the 256 bytes a user's body buffer starts with, one character of two bytes
        FakeClock clock = FakeClock.manual();
        String name = "Zoë " + "x".repeat(600);
        plan.data(new DataTable(List.of("name"), new String[][] {{name}}, false));
        Step save = plan.request("save", plan.template("POST", "/people", "{\"name\":\"{{data.name}}\"}"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("save", save)), 1);
        ScriptedTargetTransport target = oneMillisecondTarget(clock);

        runClosed(clock, 1, Duration.ofMillis(5), scenarios, plan.recorder(), target);

        assertThat(target.received).hasSize(5)
                .allSatisfy(request -> assertThat(request.body()).isEqualTo("{\"name\":\"" + name + "\"}"));
    }

    // ---- checks and per-step figures -----------------------------------------------------------

    @Test
    void checksAreCountedPerCheckApartFromRequestFailures() throws Exception {
        FakeClock clock = FakeClock.manual();
        List<Check> checks = List.of(
                plan.check(i -> Check.status(i, 200, 299)),
                plan.check(i -> Check.bodyContains(i, "NEW")),
                plan.check(i -> Check.jsonEquals(i, JsonPath.compile("$.x"), "3")),
                plan.check(i -> Check.jsonExists(i, JsonPath.compile("$.items"), true)),
                plan.check(i -> Check.jsonExists(i, JsonPath.compile("$.missing"), false)),
                plan.check(i -> Check.headerEquals(i, "X-Env", "prod")),
                plan.check(i -> Check.headerContains(i, "Content-Type", "json")),
                plan.check(i -> Check.maxDuration(i, 10 * MS, "10ms")));
        Step step = plan.request("check all", plan.template("GET", "/thing", null), List.of(), checks);
        ScenarioPlan scenarios = plan.build(List.of(scenario("checks", step)), 1);
        RunRecorder recorder = plan.recorder();
        // four answers in turn; which checks each passes, in the order above
        List<Response> answers = List.of(
                Response.json(200, "{\"x\":3,\"items\":[1],\"state\":\"NEW\"}").with("X-Env", "prod"),
                Response.status(201).with("Content-Type", "text/plain").with("X-Env", "staging")
                        .withBody("{\"x\":3.0,\"state\":\"OLD\"}"),
                Response.status(503).with("X-Env", "prod").withBody("busy"),
                Response.failure(ErrorKind.TIMEOUT));
        boolean[][] passes = {
                {true, true, true, true, true, true, true, true},
                {true, false, true, false, true, false, false, true},
                {false, false, false, false, true, true, false, false},
                {false, false, false, false, false, false, false, false}};
        long[] answered = new long[answers.size()];
        AtomicInteger turn = new AtomicInteger();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            int which = turn.getAndIncrement() % answers.size();
            answered[which]++;
            clock.advance(Duration.ofMillis(which < 2 ? 1 : 20)); // the last two are too slow for 10 ms
            return answers.get(which);
        });

        Summary summary = runClosed(clock, 1, Duration.ofMillis(400), scenarios, recorder, target);

        Map<String, CheckCounts> expected = new LinkedHashMap<>();
        long passed = 0;
        long failed = 0;
        for (int c = 0; c < checks.size(); c++) {
            long yes = 0;
            long no = 0;
            for (int a = 0; a < answers.size(); a++) {
                yes += passes[a][c] ? answered[a] : 0;
                no += passes[a][c] ? 0 : answered[a];
            }
            expected.put("check all: " + checks.get(c).name(), new CheckCounts(yes, no));
            passed += yes;
            failed += no;
        }
        assertThat(answered[3]).isPositive();
        assertThat(summary.checks().byCheck()).isEqualTo(expected);
        assertThat(summary.checks().byCheck().keySet()).containsExactly("check all: status 200-299",
                "check all: body contains NEW", "check all: $.x equals 3", "check all: $.items exists",
                "check all: $.missing does not exist", "check all: header X-Env equals prod",
                "check all: header Content-Type contains json", "check all: duration <= 10ms");
        assertThat(summary.checks().passed()).isEqualTo(passed);
        assertThat(summary.checks().failed()).isEqualTo(failed);
        assertThat(summary.steps().get("check all").checks()).isEqualTo(new CheckCounts(passed, failed));
        // checks do not decide request failures: the step's success range does (200-399 here)
        assertThat(summary.failures()).isEqualTo(answered[2] + answered[3]);
    }

    @Test
    void perStepAndPerScenarioSummariesEqualWhatTheTargetReceivedPerStep() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step list = plan.request("list", 0, plan.template("GET", "/list", null), List.of(), List.of(), new StatusRange(200, 299));
        Step detail = plan.request("detail", 0, plan.template("GET", "/detail", null), List.of(), List.of(), new StatusRange(200, 399));
        Step stats = plan.request("stats", 0, plan.template("GET", "/stats", null), List.of(), List.of(), new StatusRange(200, 299));
        ScenarioPlan scenarios = plan.build(List.of(scenario("shop", list, detail), scenario("admin", stats)), 3, 1);
        RunRecorder recorder = plan.recorder();
        List<Response> rotation = List.of(Response.status(200), Response.status(302), Response.status(404),
                Response.status(200), Response.status(500), Response.failure(ErrorKind.TIMEOUT),
                Response.failure(ErrorKind.CONNECTION_REFUSED));
        Map<String, List<Response>> answeredByPath = new ConcurrentHashMap<>();
        AtomicInteger turn = new AtomicInteger();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            Response answer = rotation.get(turn.getAndIncrement() % rotation.size());
            answeredByPath.computeIfAbsent(request.path(), path -> Collections.synchronizedList(new ArrayList<>())).add(answer);
            return answer;
        });

        Summary summary = runClosed(clock, 2, Duration.ofMillis(300), scenarios, recorder, target);

        Map<String, GroupSummary> steps = summary.steps();
        assertThat(steps.keySet()).containsExactly("list", "detail", "stats");
        expectStep(steps.get("list"), answeredByPath.get("/list"), new StatusRange(200, 299));
        expectStep(steps.get("detail"), answeredByPath.get("/detail"), new StatusRange(200, 399));
        expectStep(steps.get("stats"), answeredByPath.get("/stats"), new StatusRange(200, 299));
        GroupSummary shop = summary.scenarios().get("shop");
        assertThat(shop.requests()).isEqualTo(steps.get("list").requests() + steps.get("detail").requests());
        assertThat(shop.successes()).isEqualTo(steps.get("list").successes() + steps.get("detail").successes());
        assertThat(shop.statusCodes()).isEqualTo(merged(steps.get("list").statusCodes(), steps.get("detail").statusCodes()));
        assertThat(shop.errors()).isEqualTo(merged(steps.get("list").errors(), steps.get("detail").errors()));
        GroupSummary admin = summary.scenarios().get("admin");
        assertThat(admin.requests()).isEqualTo(steps.get("stats").requests());
        assertThat(admin.failures()).isEqualTo(steps.get("stats").failures());
        assertThat(summary.requests()).isEqualTo(target.received.size());
        assertThat(summary.successes()).isEqualTo(steps.values().stream().mapToLong(GroupSummary::successes).sum());
        assertThat(summary.failures()).isEqualTo(steps.values().stream().mapToLong(GroupSummary::failures).sum());
    }

    // ---- cookies -------------------------------------------------------------------------------

    @Test
    void aCookieTheTargetSetsIsSentBackOnTheSameClosedModelUsersNextRequests() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step login = plan.request("login", plan.template("POST", "/login", "{}"));
        Step profile = plan.request("profile", plan.template("GET", "/profile", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("visit", login, profile)), 1);
        Map<Integer, String> jarOfSession = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sessionsMade = new AtomicInteger();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            String expected = jarOfSession.get(request.session());
            if (!request.headers("Cookie").equals(expected == null ? List.of() : List.of(expected))) {
                wrong.add(request.path() + " on session " + request.session() + " sent " + request.headers("Cookie")
                        + ", expected " + expected);
            }
            if (request.path().equals("/login")) {
                String sid = request.session() + "." + sessionsMade.incrementAndGet();
                jarOfSession.put(request.session(), "sid=" + sid + "; theme=dark"); // sid keeps its place when replaced
                return Response.status(200).with("Set-Cookie", "sid=" + sid + "; Path=/; HttpOnly")
                        .with("Set-Cookie", "theme=dark; Max-Age=3600");
            }
            return Response.status(200);
        });

        runClosed(clock, 2, Duration.ofMillis(100), scenarios, plan.recorder(), target);

        assertThat(wrong).isEmpty();
        assertThat(target.receivedOn("/profile")).isNotEmpty()
                .allSatisfy(request -> assertThat(request.header("Cookie")).startsWith("sid=" + request.session() + "."));
        // the user keeps its cookies into its next iteration
        assertThat(target.receivedOn("/login").stream().filter(r -> r.header("Cookie") != null)).isNotEmpty();
    }

    @Test
    void anOpenModelIterationStartsWithoutTheCookiesOfTheWorkersEarlierIterations() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step login = plan.request("login", plan.template("POST", "/login", "{}"));
        Step profile = plan.request("profile", plan.template("GET", "/profile", null));
        ScenarioPlan scenarios = plan.build(List.of(scenario("visit", login, profile)), 1);
        RunRecorder recorder = plan.recorder();
        AtomicInteger logins = new AtomicInteger();
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> request.path().equals("/login")
                ? Response.status(200).with("Set-Cookie", "sid=s" + logins.incrementAndGet() + "; Path=/")
                : Response.status(200));
        OpenWorkload workload = new OpenWorkload(new ConstantRate(100, S), 1); // one worker runs every iteration

        LoadRun run = new LoadEngine(clock).start(workload, scenarios, new Transport[] {target}, recorder, VIRTUAL);
        clock.advance(Duration.ofMillis(990)); // all 100 hits due, none past the end
        awaitUntil(() -> target.received.size() == 200);
        clock.advance(Duration.ofMillis(10));
        Summary summary = summaryOf(run, recorder, scenarios, workload);

        assertThat(summary.iterations()).isEqualTo(new Iterations(100, 100, 0, 0));
        assertThat(target.sessionsOpened.get()).isEqualTo(1);
        assertThat(target.receivedOn("/login")).hasSize(100).allSatisfy(request -> assertThat(request.headers("Cookie")).isEmpty());
        List<Request> requests = List.copyOf(target.received);
        for (int i = 1; i < requests.size(); i += 2) {
            assertThat(requests.get(i).path()).isEqualTo("/profile");
            assertThat(requests.get(i).headers("Cookie")).containsExactly("sid=s" + (i / 2 + 1));
        }
    }

    @Test
    void aStepThatSetsItsOwnCookieHeaderIsSentWithItAloneNotWithASecondCookieLine() throws Exception {
        // the compiler makes such a step's template with cookies=false: "not when the user sets Cookie"
        FakeClock clock = FakeClock.manual();
        Step login = plan.request("login", plan.template("POST", "/login", "{}"));
        Step raw = plan.request("raw", plan.template("GET", "/raw", null, false, "Cookie: mine=1"));
        ScenarioPlan scenarios = plan.build(List.of(scenario("visit", login, raw)), 1);
        ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            return request.path().equals("/login") ? Response.status(200).with("Set-Cookie", "sid=abc") : Response.status(200);
        });

        runClosed(clock, 1, Duration.ofMillis(20), scenarios, plan.recorder(), target);

        assertThat(target.receivedOn("/raw")).isNotEmpty()
                .allSatisfy(request -> assertThat(request.headers("Cookie")).containsExactly("mine=1"));
    }

    // ---- sessions ------------------------------------------------------------------------------

    @Test
    void twoTargetsGetTwoSessionsPerUserWhichTheUserReusesAcrossIterations() throws Exception {
        FakeClock clock = FakeClock.manual();
        Step catalog = plan.request("catalog", 0, plan.template("GET", "/catalog?vu={{$vu}}", null), List.of(), List.of(),
                StatusRange.DEFAULT);
        Step pay = plan.request("pay", 1, plan.template("POST", "/pay?vu={{$vu}}", "{}"), List.of(), List.of(),
                StatusRange.DEFAULT);
        ScenarioPlan scenarios = plan.build(List.of(scenario("buy", catalog, pay)), 1);
        // the users' first four catalog requests go in lockstep (time moves only with requests), so
        // every user runs at least three whole iterations however the threads are scheduled
        CyclicBarrier round = new CyclicBarrier(3);
        Map<Integer, AtomicInteger> sentOnSession = new ConcurrentHashMap<>();
        ScriptedTargetTransport shop = new ScriptedTargetTransport(clock, request -> {
            if (sentOnSession.computeIfAbsent(request.session(), s -> new AtomicInteger()).incrementAndGet() <= 4) {
                try {
                    round.await(10, TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    throw new AssertionError("the three users did not all send", e);
                }
            }
            clock.advance(Duration.ofMillis(1));
            return Response.status(200);
        });
        ScriptedTargetTransport payments = oneMillisecondTarget(clock);

        RunRecorder recorder = plan.recorder();
        RunEnd end = new LoadEngine(clock).start(ClosedWorkload.constant(3, Duration.ofMillis(200)), scenarios,
                new Transport[] {shop, payments}, recorder, VIRTUAL).completion().get(30, TimeUnit.SECONDS);

        assertThat(end.outcome()).isEqualTo(RunEnd.Outcome.COMPLETED);
        for (ScriptedTargetTransport target : List.of(shop, payments)) {
            assertThat(target.sessionsOpened.get()).isEqualTo(3);
            assertThat(target.sessionsClosed.get()).isEqualTo(3);
            Map<Integer, Set<String>> usersOfSession = target.received.stream().collect(Collectors.groupingBy(
                    Request::session, Collectors.mapping(r -> r.query("vu"), Collectors.toSet())));
            // one session per user, carrying every iteration of that user
            assertThat(usersOfSession.values()).allSatisfy(users -> assertThat(users).hasSize(1));
            assertThat(usersOfSession.values().stream().flatMap(Set::stream)).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(target.received.stream().collect(Collectors.groupingBy(Request::session, Collectors.counting())))
                    .allSatisfy((session, requests) -> assertThat(requests).isGreaterThanOrEqualTo(3));
        }
        Summary summary = new RunSampler(recorder, null, StepLayout.of(scenarios)).sample(end.elapsedNanos(), true).summary();
        assertThat(summary.steps().get("catalog").requests()).isEqualTo(shop.received.size());
        assertThat(summary.steps().get("pay").requests()).isEqualTo(payments.received.size());
        assertIterationsAddUp(summary);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Scenario scenario(String name, Step... steps) {
        return new Scenario(name, List.of(steps));
    }

    private static ScriptedTargetTransport oneMillisecondTarget(FakeClock clock) {
        return new ScriptedTargetTransport(clock, request -> {
            clock.advance(Duration.ofMillis(1));
            return Response.status(200);
        });
    }

    /** Runs a closed workload whose target moves the manual clock, and checks it completed. */
    private static Summary runClosed(FakeClock clock, int users, Duration duration, ScenarioPlan plan, RunRecorder recorder,
                                     ScriptedTargetTransport target) throws Exception {
        LoadRun run = new LoadEngine(clock).start(ClosedWorkload.constant(users, duration), plan, new Transport[] {target},
                recorder, VIRTUAL);
        Summary summary = summaryOf(run, recorder, plan, null);
        assertThat(summary.requests()).isEqualTo(target.received.size());
        assertIterationsAddUp(summary);
        return summary;
    }

    private static void assertIterationsAddUp(Summary summary) {
        Iterations iterations = summary.iterations();
        assertThat(iterations.started())
                .isEqualTo(iterations.completed() + iterations.aborted() + iterations.interrupted());
    }

    /** Iteration i (sent as {@code ?i=}) ran once, for each i below n, and ran the cycle's scenario for i. */
    private static void assertEachIterationRanItsCyclesScenarioOnce(ScriptedTargetTransport target, WeightedCycle cycle,
                                                                     long n) {
        Map<Long, String> pathOfIteration = new TreeMap<>();
        for (Request request : target.received) {
            String previous = pathOfIteration.put(Long.parseLong(request.query("i")), request.path());
            assertThat(previous).as("iteration %s ran twice", request.query("i")).isNull();
        }
        assertThat(pathOfIteration).hasSize((int) n);
        pathOfIteration.forEach((i, path) -> {
            assertThat(i).isBetween(0L, n - 1);
            assertThat(path).isEqualTo(cycle.scenarioOf(i) == 0 ? "/browse" : "/buy");
        });
    }

    private static long scenarioCount(WeightedCycle cycle, long iterations, int scenario) {
        long count = 0;
        for (long i = 0; i < iterations; i++) {
            count += cycle.scenarioOf(i) == scenario ? 1 : 0;
        }
        return count;
    }

    private static List<Long> sentAtMillis(List<Request> requests, long start) {
        return requests.stream().map(r -> (r.sentAtNanos() - start) / MS).toList();
    }

    private static void expectStep(GroupSummary step, List<Response> answered, StatusRange success) {
        Map<String, Long> statusCodes = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        long successes = 0;
        for (Response answer : answered) {
            if (answer.error() != null) {
                errors.merge(answer.error().name(), 1L, Long::sum);
            } else {
                statusCodes.merge(Integer.toString(answer.status()), 1L, Long::sum);
                successes += answer.status() >= success.from() && answer.status() <= success.to() ? 1 : 0;
            }
        }
        assertThat(step.requests()).isEqualTo(answered.size());
        assertThat(step.successes()).isEqualTo(successes);
        assertThat(step.failures()).isEqualTo(answered.size() - successes);
        assertThat(step.statusCodes()).isEqualTo(statusCodes);
        assertThat(step.errors()).isEqualTo(errors);
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new HashMap<>(a);
        b.forEach((key, count) -> sum.merge(key, count, Long::sum));
        return sum;
    }
}
