package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.barrage.api.DefinitionJson;
import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.transport.AllowList;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.HttpRequestSpec;
import dev.barrage.engine.transport.ResponseListener;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportFactory;
import dev.barrage.engine.transport.TransportSession;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Submission of scenario definitions (API.md "Scenarios"): every bad one is refused before anything
 * starts, with the exact place and the offending template or value; good ones compile as documented;
 * a step outside the allow-list is refused before any connect. Definitions go through what POST /tests
 * does without Spring: Bean Validation field by field, then {@link RunService#submit}. No traffic leaves
 * the test: the transports are fakes, and every target is loopback except the ones that must be refused.
 */
class ScenarioDefinitionsTest {

    private static final String BASE = "http://127.0.0.1:8081";
    /** Small, so that "data too large" needs only a few kilobytes of CSV. */
    private static final long MAX_DATA_BYTES = 4096;
    private static final RunLimits LIMITS = new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 100,
            RunLimits.DEFAULT_MAX_DEFINITION_BYTES, RunLimits.DEFAULT_RETAINED_BYTES, MAX_DATA_BYTES,
            RunLimits.DEFAULT_MAX_BODY_BYTES);
    private static final Validator BEAN_VALIDATION = Validation.buildDefaultValidatorFactory().getValidator();

    private final FakeTransports transports = new FakeTransports();
    private final AggregationLane lane = new AggregationLane(1);
    private final RunService runs = new RunService(new LoadEngine(NanoClock.SYSTEM), transports,
            new AllowList(List.of("localhost", "127.0.0.0/8", "::1")), lane, List.of(), LIMITS, Clock.systemUTC());

    @AfterEach
    void stopWhatEverStarted() {
        runs.cancelAllAndWait(Duration.ofSeconds(5));
        lane.close();
    }

    // ---------------------------------------------------------------- bad definitions: 400 naming the place

    static Stream<Arguments> badDefinitions() {
        return Stream.of(
                // templates
                bad("unknown template name", scenarios("""
                        {'name': 'browse', 'steps': [{'request': {'url': '%1$s/items'}}]},
                        {'name': 'buy', 'steps': [
                          {'name': 'login', 'request': {'method': 'POST', 'url': '%1$s/login'},
                           'capture': [{'jsonPath': '$.token', 'as': 'token'}]},
                          {'name': 'order', 'request': {'method': 'POST', 'url': '%1$s/orders',
                           'headers': {'Authorization': 'Bearer {{tokn}}'}}}]}"""),
                        "scenarios[1].steps[1].request.headers[Authorization]", "{{tokn}}"),
                bad("unknown data field", withData("'csv': 'email,password\\na@example.test,pw1\\n'", oneScenario("""
                        {'request': {'method': 'POST', 'url': '%s/login', 'body': '{\\"email\\": \\"{{data.emial}}\\"}'}}""")),
                        "scenarios[0].steps[0].request.body", "{{data.emial}}", "email, password"),
                bad("unknown function", oneScenario("{'request': {'url': '%s/items?id={{$random}}'}}"),
                        "scenarios[0].steps[0].request.url", "{{$random}}"),
                bad("$randomInt with from > to", oneScenario("{'request': {'url': '%s/items?page={{$randomInt(50,1)}}'}}"),
                        "scenarios[0].steps[0].request.url", "$randomInt(50,1)"),
                bad("an unclosed {{", oneScenario("{'request': {'url': '%s/items', 'headers': {'X-Trace': 'a{{b'}}}"),
                        "scenarios[0].steps[0].request.headers[X-Trace]", "never closed"),
                // captures before they are made
                bad("capture used by a step before the one that makes it", oneScenario("""
                        {'name': 'order', 'request': {'url': '%1$s/orders', 'headers': {'Authorization': 'Bearer {{token}}'}}},
                        {'name': 'login', 'request': {'url': '%1$s/login'}, 'capture': [{'jsonPath': '$.token', 'as': 'token'}]}"""),
                        "scenarios[0].steps[0].request.headers[Authorization]", "{{token}}", "capture"),
                bad("capture used by the step that makes it", oneScenario("""
                        {'request': {'url': '%s/orders/{{orderId}}'}, 'capture': [{'jsonPath': '$.id', 'as': 'orderId'}]}"""),
                        "scenarios[0].steps[0].request.url", "{{orderId}}"),
                bad("capture made in another scenario", scenarios("""
                        {'name': 'login', 'steps': [{'name': 'login', 'request': {'url': '%1$s/login'},
                          'capture': [{'jsonPath': '$.token', 'as': 'token'}]}]},
                        {'name': 'order', 'steps': [{'name': 'order', 'request': {'url': '%1$s/orders',
                          'headers': {'Authorization': 'Bearer {{token}}'}}}]}"""),
                        "scenarios[1].steps[0].request.headers[Authorization]", "{{token}}", "its own scenario"),
                // scheme, host and port known at submission
                bad("host from data", withData("'csv': 'host\\n127.0.0.1\\n'",
                                oneScenario("{'request': {'url': 'http://{{data.host}}:8081/items'}}")),
                        "scenarios[0].steps[0].request.url", "http://{{data.host}}:8081/items"),
                bad("port from a function", oneScenario("{'request': {'url': 'http://127.0.0.1:{{$randomInt(8000,8100)}}/items'}}"),
                        "scenarios[0].steps[0].request.url", "http://127.0.0.1:{{$randomInt(8000,8100)}}/items"),
                bad("scheme from a capture", oneScenario("""
                        {'name': 'discover', 'request': {'url': '%s/config'}, 'capture': [{'jsonPath': '$.scheme', 'as': 'scheme'}]},
                        {'name': 'use', 'request': {'url': '{{scheme}}://127.0.0.1:8081/items'}}"""),
                        "scenarios[0].steps[1].request.url", "{{scheme}}://127.0.0.1:8081/items"),
                bad("whole base from data", withData("'csv': 'base\\nhttp://127.0.0.1:8081\\n'",
                                oneScenario("{'request': {'url': '{{data.base}}/items'}}")),
                        "scenarios[0].steps[0].request.url", "{{data.base}}/items"),
                // names
                bad("duplicate step names across scenarios", scenarios("""
                        {'name': 'a', 'steps': [{'name': 'login', 'request': {'url': '%1$s/login'}}]},
                        {'name': 'b', 'steps': [{'name': 'login', 'request': {'url': '%1$s/signin'}}]}"""),
                        "scenarios[1].steps[0].name", "'login'"),
                bad("duplicate step names in one scenario", oneScenario("""
                        {'name': 'list', 'request': {'url': '%1$s/items'}}, {'name': 'list', 'request': {'url': '%1$s/items?page=2'}}"""),
                        "scenarios[0].steps[1].name", "'list'"),
                bad("duplicate scenario names", scenarios("""
                        {'name': 'browse', 'steps': [{'name': 'a', 'request': {'url': '%1$s/a'}}]},
                        {'name': 'browse', 'steps': [{'name': 'b', 'request': {'url': '%1$s/b'}}]}"""),
                        "scenarios[1].name", "'browse'"),
                // empty
                bad("a scenario without steps", scenarios("{'name': 'idle', 'steps': []}"),
                        "scenarios[0].steps", "from 1 to 100 steps"),
                bad("a scenario of think steps only", scenarios("{'name': 'idle', 'steps': [{'think': '1s'}, {'think': '2s'}]}"),
                        "scenarios[0].steps", "at least one step with a request"),
                bad("no scenarios at all", "{'scenarios': [], " + WORKLOAD + "}",
                        "scenarios", "from 1 to 50 scenarios"),
                // data
                bad("CSV data too large", withData("'csv': '" + csvOfBytes(MAX_DATA_BYTES + 1) + "'", listItems()),
                        "data", "is " + (MAX_DATA_BYTES + 1) + " bytes", "barrage.limits.max-data-size"),
                bad("row data too large", withData("'rows': [{'id': '" + "x".repeat((int) MAX_DATA_BYTES) + "'}]", listItems()),
                        "data", "barrage.limits.max-data-size"),
                bad("a CSV row with too few fields", withData("'csv': 'email,password\\na@example.test,pw1\\nb@example.test\\n'", listItems()),
                        "data.csv", "line 3 has 1 field", "names 2 (email, password)"),
                bad("a CSV row with too many fields", withData("'csv': 'email,password\\na@example.test,pw1,extra\\n'", listItems()),
                        "data.csv", "line 2 has 3 fields"),
                bad("rows with different fields", withData("'rows': [{'email': 'a'}, {'mail': 'b'}]", listItems()),
                        "data.rows[1]", "[mail]"),
                bad("a field name over 200 characters (names are JSON keys when the definition is shown)",
                        withData("'rows': [{'" + "f".repeat(201) + "': 'a'}]", listItems()), "data.rows[0]", "at most 200 characters"),
                bad("csv and rows both", withData("'csv': 'id\\n1\\n', 'rows': [{'id': 1}]", listItems()),
                        "data", "one of the two"),
                // the step bound
                bad("51 request steps in one scenario", oneScenario(requestSteps(51)),
                        "scenarios", "51 request steps", "at most 50"),
                bad("51 request steps over two scenarios", scenarios(
                                "{'name': 'a', 'steps': [" + requestSteps(26) + "]}, {'name': 'b', 'steps': [" + requestSteps(25) + "]}"),
                        "scenarios", "51 request steps"),
                // weights
                bad("weight 0", twoWeights("8", "0"), "scenarios[1].weight", "from 1 to 1000"),
                bad("weight -2", twoWeights("8", "-2"), "scenarios[1].weight", "from 1 to 1000"),
                bad("weight 1001", twoWeights("1001", "1"), "scenarios[0].weight", "from 1 to 1000"),
                // request or scenarios
                bad("both request and scenarios", "{'request': {'url': '" + BASE + "/'}, 'scenarios': ["
                        + "{'steps': [{'request': {'url': '" + BASE + "/'}}]}], " + WORKLOAD + "}", "scenarios", "one of the two"),
                bad("neither request nor scenarios", "{" + WORKLOAD + "}", "request", "one of the two"),
                // steps, captures, checks
                bad("a step with both request and think", oneScenario("{'request': {'url': '%s/items'}, 'think': '1s'}"),
                        "scenarios[0].steps[0]", "one of the two"),
                bad("a step with neither request nor think", oneScenario("{'name': 'nothing'}"),
                        "scenarios[0].steps[0]", "one of the two"),
                bad("a think step with checks", oneScenario("{'request': {'url': '%s/items'}}, {'think': '1s', 'checks': [{'bodyContains': 'x'}]}"),
                        "scenarios[0].steps[1]", "think step pauses only"),
                bad("a capture of two kinds", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'jsonPath': '$.token', 'header': 'X-Token', 'as': 'token'}]}"""),
                        "scenarios[0].steps[0].capture[0]", "exactly one of jsonPath, header or regex"),
                bad("a capture of no kind", oneScenario("{'request': {'url': '%s/login'}, 'capture': [{'as': 'token'}]}"),
                        "scenarios[0].steps[0].capture[0]", "exactly one of jsonPath, header or regex"),
                bad("a jsonPath check with neither equals nor exists", oneScenario("""
                        {'request': {'url': '%s/items'}, 'checks': [{'status': [200, 299]}, {'jsonPath': '$.items'}]}"""),
                        "scenarios[0].steps[0].checks[1]", "equals (a value) or exists"),
                bad("a jsonPath check with both equals and exists", oneScenario("""
                        {'request': {'url': '%s/items'}, 'checks': [{'jsonPath': '$.count', 'equals': 3, 'exists': true}]}"""),
                        "scenarios[0].steps[0].checks[0]", "equals (a value) or exists"),
                bad("a jsonPath check expecting more than 1000 characters (the text names the check)", oneScenario(
                        "{'request': {'url': '%s/items'}, 'checks': [{'jsonPath': '$.note', 'equals': '" + "n".repeat(1001) + "'}]}"),
                        "scenarios[0].steps[0].checks[0].equals", "at most 1000 characters"),
                bad("a header check expecting more than 1000 characters", oneScenario(
                        "{'request': {'url': '%s/items'}, 'checks': [{'header': 'X-Note', 'equals': '" + "n".repeat(1001) + "'}]}"),
                        "scenarios[0].steps[0].checks[0].equals", "at most 1000 characters"),
                bad("a check of two kinds", oneScenario("""
                        {'request': {'url': '%s/items'}, 'checks': [{'status': [200, 299], 'bodyContains': 'NEW'}]}"""),
                        "scenarios[0].steps[0].checks[0]", "exactly one of status, bodyContains"),
                bad("an invalid JSON path", oneScenario("{'request': {'url': '%s/items'}, 'checks': [{'jsonPath': '$..items', 'exists': true}]}"),
                        "scenarios[0].steps[0].checks[0].jsonPath", "'$..items'"),
                bad("an invalid regex", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'regex': 'id=(\\\\d+', 'as': 'id'}]}"""),
                        "scenarios[0].steps[0].capture[0].regex", "not a valid regular expression"),
                bad("a regex without a group", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'regex': 'id=\\\\d+', 'as': 'id'}]}"""),
                        "scenarios[0].steps[0].capture[0].regex", "needs a group"),
                bad("a capture named like a variable", withVariables("'token': 'fixed'", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'jsonPath': '$.token', 'as': 'token'}]}""")),
                        "scenarios[0].steps[0].capture[0].as", "'token'"),
                // thresholds
                bad("a threshold naming a missing step", withThresholds("'p99 < 250ms', 'checks >= 0.99', 'p95{step=\\\"logn\\\"} < 300ms'",
                                oneScenario("{'name': 'login', 'request': {'url': '%s/login'}}")),
                        "thresholds[2]", "'logn'", "[login]"),
                bad("a threshold naming a missing scenario", withThresholds("'error_rate{scenario=\\\"pay\\\"} < 0.01'",
                                scenarios("{'name': 'buy', 'steps': [{'request': {'url': '%s/buy'}}]}")),
                        "thresholds[0]", "'pay'", "[buy]"),
                // what would break the request on the wire
                bad("a space in the literal path of a templated URL", oneScenario("{'request': {'url': '%s/items/a b?id={{$uuid}}'}}"),
                        "scenarios[0].steps[0].request.url", "/items/a b?id={{$uuid}}"),
                // without a template the URL is judged field by field, as a top-level request's is
                bad("a space in the path of a literal URL", oneScenario("{'request': {'url': '%s/items/a b'}}"),
                        "scenarios[0].steps[0].request.url", "absolute http:// or https:// URL"),
                bad("a #fragment in the literal URL", oneScenario("{'request': {'url': '%s/items#top'}}"),
                        "scenarios[0].steps[0].request.url", "/items#top"),
                bad("a space in the path from a variable", withVariables("'dir': 'a b'", oneScenario("{'request': {'url': '%s/{{dir}}/x'}}")),
                        "scenarios[0].steps[0].request.url", "/{{dir}}/x"),
                bad("a data value with a line break used in a header", withData("'rows': [{'user': 'alice'}, {'user': 'bob\\r\\nX-Evil: 1'}]",
                                oneScenario("{'request': {'url': '%s/me', 'headers': {'X-User': '{{data.user}}'}}}")),
                        "scenarios[0].steps[0].request.headers[X-User]", "{{data.user}}", "row 2"),
                bad("a data value with a line break used in the URL", withData("'csv': 'id\\n1\\n\\\"2\\n3\\\"\\n'",
                                oneScenario("{'request': {'url': '%s/items/{{data.id}}'}}")),
                        "scenarios[0].steps[0].request.url", "{{data.id}}", "row 2"),
                bad("variables containing {{", withVariables("'base': '{{host}}:8081'", listItems()),
                        "variables.base", "{{"),
                bad("a transport-owned header in a step", oneScenario("{'request': {'url': '%s/items', 'headers': {'Content-Length': '3'}}}"),
                        "scenarios[0].steps[0].request.headers[Content-Length]", "set by Barrage"),
                bad("a HEAD step with a body", oneScenario("{'request': {'method': 'HEAD', 'url': '%s/items', 'body': 'x'}}"),
                        "scenarios[0].steps[0].request.body", "HEAD"),
                // a top-level request with templates is one step named "request"
                bad("a top-level request with an unknown template", "{'variables': {'base': '" + BASE + "'},"
                        + " 'request': {'url': '{{base}}/items/{{id}}'}, " + WORKLOAD + "}", "request.url", "{{id}}"),
                bad("a top-level request with a templated host", "{'data': {'csv': 'host\\n127.0.0.1\\n'},"
                        + " 'request': {'url': 'http://{{data.host}}/items'}, " + WORKLOAD + "}", "request.url", "http://{{data.host}}/items"),
                bad("a top-level request's threshold naming a step it lacks", "{'variables': {'base': '" + BASE + "'},"
                        + " 'request': {'url': '{{base}}/items'}, " + WORKLOAD + ", 'thresholds': ['p95{step=\\\"login\\\"} < 300ms']}",
                        "thresholds[0]", "'login'", "[request]"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("badDefinitions")
    void aBadScenarioIsRefusedNamingThePlaceAndNothingStarts(String name, String json, String field, List<String> mentions) {
        List<FieldProblem> problems = problemsOf(json);

        assertThat(problems).as("problems of %s", name).anySatisfy(problem -> {
            assertThat(problem.field()).isEqualTo(field);
            assertThat(problem.message()).contains(mentions);
        });
        assertThat(runs.all()).as("nothing queued or started").isEmpty();
        assertThat(transports.created).as("no transport made").isEmpty();
    }

    /**
     * A variable is fixed text put into the request at submission, so a line break in it must be
     * refused like one in a literal header or a data value: it would add header lines to every request.
     */
    @Test
    void aVariableWithALineBreakUsedInAHeaderIsRefused() {
        String json = withVariables("'token': 'abc\\r\\nX-Injected: yes'",
                oneScenario("{'request': {'url': '%s/me', 'headers': {'Authorization': 'Bearer {{token}}'}}}"));

        List<FieldProblem> problems = problemsOf(json);

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.field()).isIn("scenarios[0].steps[0].request.headers[Authorization]", "variables.token");
            assertThat(problem.message()).containsAnyOf("line break", "{{token}}");
        });
        assertThat(transports.created).isEmpty();
    }

    // ---------------------------------------------------------------- the allow-list, at submission

    static Stream<Arguments> targetsOutsideTheAllowList() {
        return Stream.of(
                Arguments.of("the second step of the second scenario", "10.0.0.1", scenarios("""
                        {'name': 'browse', 'steps': [{'request': {'url': '%1$s/items'}}]},
                        {'name': 'buy', 'steps': [{'name': 'login', 'request': {'url': '%1$s/login'}},
                          {'name': 'order', 'request': {'url': 'http://10.0.0.1:8081/orders'}}]}""")),
                Arguments.of("a host from variables", "10.0.0.1", withVariables("'base': 'http://10.0.0.1:8081'",
                        scenarios("{'steps': [{'request': {'url': '{{base}}/items?page={{$randomInt(1,50)}}'}}]}"))),
                Arguments.of("the cloud metadata address", "169.254.169.254",
                        oneScenario("{'request': {'url': 'http://169.254.169.254/latest/meta-data/'}}")),
                Arguments.of("a top-level request with templates", "10.0.0.1",
                        "{'request': {'url': 'http://10.0.0.1:8081/items/{{$uuid}}'}, " + WORKLOAD + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetsOutsideTheAllowList")
    void aStepTargetOutsideTheAllowListIsRefusedAtSubmissionBeforeAnyConnect(String name, String host, String json) {
        TestDefinition definition = DefinitionJson.read(json);
        assertThat(BEAN_VALIDATION.validate(definition)).as("valid field by field").isEmpty();

        Throwable refused = catchThrowable(() -> runs.submit(definition));

        assertThat(refused).isInstanceOf(TargetRefusedException.class).hasMessageContaining(host);
        assertThat(runs.all()).isEmpty();
        assertThat(transports.sessions).as("no session opened, so nothing connected").hasValue(0);
    }

    // ---------------------------------------------------------------- good definitions

    /** The example of API.md "Scenarios", as written there (its targets are loopback). */
    private static final String API_EXAMPLE = """
            {
              'name': 'shop',
              'variables': { 'base': 'http://127.0.0.1:8081' },
              'data': { 'csv': 'email,password\\na@example.test,pw1\\nb@example.test,pw2\\n', 'order': 'sequence' },
              'scenarios': [
                { 'name': 'browse', 'weight': 8, 'steps': [
                  { 'name': 'list items',
                    'request': { 'url': '{{base}}/items?page={{$randomInt(1,50)}}' },
                    'checks': [ { 'status': [200, 299] }, { 'jsonPath': '$.items', 'exists': true } ] } ] },
                { 'name': 'buy', 'weight': 2, 'steps': [
                  { 'name': 'login',
                    'request': { 'method': 'POST', 'url': '{{base}}/login',
                                 'headers': { 'Content-Type': 'application/json' },
                                 'body': '{\\"email\\":\\"{{data.email}}\\",\\"password\\":\\"{{data.password}}\\"}' },
                    'capture': [ { 'jsonPath': '$.token', 'as': 'token' } ] },
                  { 'name': 'order',
                    'request': { 'method': 'POST', 'url': '{{base}}/orders', 'body': '{\\"qty\\":1}',
                                 'headers': { 'Authorization': 'Bearer {{token}}', 'Idempotency-Key': '{{$uuid}}' } },
                    'capture': [ { 'jsonPath': '$.id', 'as': 'orderId' } ] },
                  { 'think': '500ms' },
                  { 'name': 'order status', 'request': { 'url': '{{base}}/orders/{{orderId}}' },
                    'checks': [ { 'bodyContains': 'NEW' }, { 'maxDuration': '300ms' } ] } ] }
              ],
              'workload': { 'model': 'open', 'rate': 100, 'duration': '1m' },
              'thresholds': [ 'p99 < 250ms', 'checks >= 0.99', 'p95{step=\\"login\\"} < 300ms',
                              'error_rate{scenario=\\"buy\\"} < 0.01' ]
            }""";

    @Test
    void theApiExampleCompilesIntoTwoWeightedScenariosOfNamedStepsOnOneTarget() {
        ScenarioCompiler.Compiled compiled = compile(API_EXAMPLE);

        assertThat(compiled.plan().scenarios()).extracting(Scenario::name).containsExactly("browse", "buy");
        assertThat(compiled.plan().requestSteps()).extracting(Step::name)
                .containsExactly("list items", "login", "order", "order status");
        assertThat(compiled.plan().scenarios().get(1).steps()).extracting(Step::isThink)
                .containsExactly(false, false, true, false);
        assertThat(compiled.plan().cycle().cycleLength()).as("weights 8 + 2").isEqualTo(10);
        assertThat(IntStream.range(0, 10).map(compiled.plan().cycle()::scenarioOf).filter(s -> s == 1).count()).isEqualTo(2);
        assertThat(compiled.plan().data().fields()).containsExactly("email", "password");
        assertThat(compiled.plan().captureCount()).isEqualTo(2);
        assertThat(compiled.layout().checks()).containsExactly("status 200-299", "$.items exists", "capture token",
                "capture orderId", "body contains NEW", "duration <= 300ms");
        assertThat(compiled.targets()).extracting(spec -> spec.url().getHost() + ":" + spec.url().getPort())
                .containsExactly("127.0.0.1:8081");
    }

    @Test
    void theApiExampleIsAcceptedWithItsLoopbackTargetAllowed() {
        Run run = runs.submit(DefinitionJson.read(API_EXAMPLE));

        assertThat(run.definition().scenarios()).hasSize(2);
        assertThat(transports.created).extracting(spec -> spec.url().getHost()).containsExactly("127.0.0.1");
    }

    @Test
    void unnamedStepsAreNamedByMethodAndPathMadeUniqueWithANumber() {
        TestDefinition definition = DefinitionJson.read(scenarios("""
                {'name': 'a', 'steps': [{'request': {'url': '%1$s/items?page=1'}}, {'request': {'url': '%1$s/items?page=2'}},
                  {'name': 'GET /items #3', 'request': {'url': '%1$s/other'}},
                  {'request': {'method': 'post', 'url': '%1$s/items'}}]},
                {'name': 'b', 'steps': [{'request': {'url': '%1$s/items'}},
                  {'request': {'url': '%1$s/orders/{{$uuid}}'}}, {'request': {'url': '%1$s'}}]}"""));
        DefinitionRules.check(definition, LIMITS);

        TestDefinition filled = definition.withDefaults(LIMITS);

        assertThat(filled.scenarios().stream().flatMap(s -> s.steps().stream()).map(StepDefinition::name))
                .containsExactly("GET /items", "GET /items #2", "GET /items #3", "POST /items",
                        "GET /items #4", "GET /orders/{{$uuid}}", "GET /");
        assertThat(ScenarioCompiler.compile(filled, LIMITS).plan().requestSteps()).hasSize(7);
    }

    @Test
    void unnamedScenariosAreNumberedAndWeighOne() {
        TestDefinition filled = DefinitionJson.read(scenarios(
                "{'steps': [{'request': {'url': '%1$s/a'}}]}, {'steps': [{'request': {'url': '%1$s/b'}}]}")).withDefaults(LIMITS);

        assertThat(filled.scenarios()).extracting(ScenarioDefinition::name).containsExactly("scenario 1", "scenario 2");
        assertThat(filled.scenarios()).extracting(ScenarioDefinition::weight).containsExactly(1, 1);
    }

    @Test
    void aTopLevelRequestWithTemplatesIsOneScenarioOfOneStepNamedRequest() {
        ScenarioCompiler.Compiled compiled = compile("{'variables': {'base': '" + BASE + "'}, 'request': {'url': "
                + "'{{base}}/items/{{$uuid}}', 'headers': {'X-Vu': '{{$vu}}'}}, " + WORKLOAD
                + ", 'thresholds': ['p95{step=\\\"request\\\"} < 300ms']}");

        assertThat(compiled.plan().scenarios()).extracting(Scenario::name).containsExactly("default");
        assertThat(compiled.plan().requestSteps()).extracting(Step::name).containsExactly("request");
        assertThat(compiled.targets()).extracting(spec -> spec.url().getPort()).containsExactly(8081);
    }

    @Test
    void fiftyRequestStepsAreTheMostAndCompile() {
        ScenarioCompiler.Compiled compiled = compile(oneScenario(requestSteps(50)));

        assertThat(compiled.plan().requestSteps()).hasSize(50);
    }

    @Test
    void aDataValueWithALineBreakMayGoIntoABody() {
        ScenarioCompiler.Compiled compiled = compile(withData("'rows': [{'note': 'two\\nlines'}]",
                oneScenario("{'request': {'method': 'POST', 'url': '%s/notes', 'body': '{{data.note}}'}}")));

        assertThat(compiled.plan().data().rows()[0][0]).isEqualTo("two\nlines");
    }

    @Test
    void filteredAndChecksThresholdsParse() {
        Threshold login = Threshold.parse("p95{step=\"login\"} < 300ms");
        Threshold checks = Threshold.parse("checks >= 0.99");

        assertThat(login).extracting(Threshold::metric, Threshold::operator, Threshold::value, Threshold::filterKind,
                Threshold::filterName).containsExactly(Threshold.Metric.P95, Threshold.Operator.LT, 300.0, "step", "login");
        assertThat(checks).extracting(Threshold::metric, Threshold::operator, Threshold::value, Threshold::filterKind)
                .containsExactly(Threshold.Metric.CHECKS, Threshold.Operator.GE, 0.99, null);
    }

    // ---------------------------------------------------------------- helpers

    private static final String WORKLOAD = "'workload': {'concurrency': 1, 'duration': '1s'}";

    /**
     * What POST /tests does: Bean Validation field by field (its problems are the 400), then the
     * service; the problems of the first that refuses.
     */
    private List<FieldProblem> problemsOf(String json) {
        TestDefinition definition = DefinitionJson.read(json);
        List<FieldProblem> fieldByField = BEAN_VALIDATION.validate(definition).stream()
                .map(violation -> new FieldProblem(violation.getPropertyPath().toString(), violation.getMessage()))
                .toList();
        if (!fieldByField.isEmpty()) {
            return fieldByField;
        }
        Throwable refused = catchThrowable(() -> runs.submit(definition));
        assertThat(refused).as("the service refuses %s", json).isInstanceOf(InvalidDefinitionException.class);
        return ((InvalidDefinitionException) refused).problems();
    }

    /** What the service does up to the compiled plan, for definitions that must pass. */
    private static ScenarioCompiler.Compiled compile(String json) {
        TestDefinition definition = DefinitionJson.read(json);
        assertThat(BEAN_VALIDATION.validate(definition)).isEmpty();
        DefinitionRules.check(definition, LIMITS);
        TestDefinition filled = definition.withDefaults(LIMITS);
        ScenarioCompiler.Compiled compiled = ScenarioCompiler.compile(filled, LIMITS);
        Thresholds.checkNames(filled.thresholds(), compiled.layout());
        return compiled;
    }

    private static Arguments bad(String name, String json, String field, String... mentions) {
        return Arguments.of(name, json, field, List.of(mentions));
    }

    /** A definition of these scenarios; {@code %1$s} (or a lone {@code %s}) is the loopback base URL. */
    private static String scenarios(String scenarios) {
        return "{'scenarios': [" + scenarios.formatted(BASE) + "], " + WORKLOAD + "}";
    }

    private static String oneScenario(String steps) {
        return scenarios("{'name': 'journey', 'steps': [" + steps + "]}");
    }

    private static String listItems() {
        return oneScenario("{'request': {'url': '%s/items'}}");
    }

    private static String requestSteps(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "{'request': {'url': '%1$s/items/" + i + "'}}")
                .collect(Collectors.joining(", "));
    }

    private static String twoWeights(String first, String second) {
        return scenarios("{'name': 'browse', 'weight': " + first + ", 'steps': [{'request': {'url': '%1$s/items'}}]},"
                + " {'name': 'buy', 'weight': " + second + ", 'steps': [{'request': {'url': '%1$s/buy'}}]}");
    }

    private static String withData(String data, String definition) {
        return "{'data': {" + data + "}, " + definition.substring(1);
    }

    private static String withVariables(String variables, String definition) {
        return "{'variables': {" + variables + "}, " + definition.substring(1);
    }

    private static String withThresholds(String thresholds, String definition) {
        return definition.substring(0, definition.length() - 1) + ", 'thresholds': [" + thresholds + "]}";
    }

    /** A CSV of one field whose text is exactly {@code bytes} bytes long (as JSON, its line breaks escaped). */
    private static String csvOfBytes(long bytes) {
        StringBuilder csv = new StringBuilder("id\\n");
        long length = 3;
        while (length + 10 <= bytes) {
            csv.append("123456789\\n");
            length += 10;
        }
        csv.append("x".repeat((int) (bytes - length)));
        return csv.toString();
    }

    /** Transports that never touch the network: they record what was made and answer 200 to anything sent. */
    private static final class FakeTransports implements TransportFactory {

        final List<HttpRequestSpec> created = new CopyOnWriteArrayList<>();
        final AtomicInteger sessions = new AtomicInteger();

        @Override
        public Transport create(HttpRequestSpec spec) {
            created.add(spec);
            return strayBytes -> {
                sessions.incrementAndGet();
                return new TransportSession() {
                    @Override
                    public Exchange execute() {
                        LockSupport.parkNanos(1_000_000);
                        return Exchange.response(200, 10, 20);
                    }

                    @Override
                    public Exchange execute(byte[] request, int length, long timeoutNanos, boolean head, ResponseListener listener) {
                        LockSupport.parkNanos(1_000_000);
                        return Exchange.response(200, length, 20);
                    }

                    @Override
                    public void close() {
                    }
                };
            };
        }
    }
}
