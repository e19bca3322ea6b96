package dev.barrage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.barrage.runs.FieldProblem;
import dev.barrage.runs.InvalidDefinitionException;
import dev.barrage.runs.RunAlreadyFinishedException;
import dev.barrage.runs.RunNotFoundException;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunLimits;
import dev.barrage.runs.RunStatus;
import dev.barrage.runs.RequestDefinition;
import dev.barrage.runs.TestDefinition;
import dev.barrage.runs.TestRuns;
import dev.barrage.runs.WorkloadDefinition;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST contract's error side (API.md): every bad input is a 4xx RFC 9457 problem with a stable
 * {@code type}, a {@code detail} naming what to change, the path as {@code instance}, and for invalid
 * definitions an {@code errors} array with the exact field path. Never a stack trace.
 */
@WebMvcTest(TestsController.class)
@Import(StrictJsonConfig.class)
class TestsApiValidationTest {

    private static final String PROBLEMS = "https://barrage.dev/problems/";
    private static final String URL = "http://127.0.0.1:8081/api/items";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @MockitoBean
    RunService runs;

    @MockitoBean
    RunEvents events;

    @MockitoBean
    HtmlReport reports;

    @BeforeEach
    void theServiceAppliesItsRealRulesAndQueuesTheRun() {
        given(runs.submit(any())).willAnswer(call -> TestRuns.submitted("5f0c1e7a9b2d", call.getArgument(0)));
    }

    // ---------------------------------------------------------------- valid input

    @Test
    void aValidDefinitionIsAcceptedWithItsLocationAndDefaultsFilledIn() throws Exception {
        MvcResult result = mvc.perform(postTests(json("""
                {'request': {'url': '%s'}, 'workload': {'concurrency': 10, 'duration': '10s'}}""".formatted(URL))))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/tests/5f0c1e7a9b2d");
        assertThat(result.getResponse().getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
        JsonNode run = body(result);
        assertThat(run.get("id").asString()).isEqualTo("5f0c1e7a9b2d");
        assertThat(run.get("status").asString()).isEqualTo("QUEUED");
        assertThat(run.get("createdAt").asString()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(run.get("name").asString()).isEqualTo("GET " + URL);

        JsonNode definition = run.get("definition");
        JsonNode request = definition.get("request");
        assertThat(request.get("method").asString()).isEqualTo("GET");
        assertThat(request.get("url").asString()).isEqualTo(URL);
        assertThat(request.get("timeout").asString()).isEqualTo("5s");
        assertThat(request.get("keepAlive").asBoolean()).isTrue();
        assertThat(request.get("insecureTls").asBoolean()).isFalse();
        JsonNode workload = definition.get("workload");
        assertThat(workload.get("model").asString()).isEqualTo("closed");
        assertThat(workload.get("concurrency").asInt()).isEqualTo(10);
        assertThat(workload.get("duration").asString()).isEqualTo("10s");
        assertThat(workload.get("rampUp").asString()).isEqualTo("0s");
        assertThat(definition.get("expectedStatus").toString()).isEqualTo("[200,399]");
        assertThat(definition.get("priority").asString()).isEqualTo("NORMAL");
        assertNoStackTrace(result);
    }

    @Test
    void durationsAreAcceptedInEveryNotationAndWrittenBackInTheShortestForm() throws Exception {
        MvcResult result = mvc.perform(postTests(json("""
                {'request': {'url': '%s', 'method': 'post', 'timeout': 'PT2.5S'},
                 'workload': {'concurrency': 1, 'duration': '90000ms', 'rampUp': 'PT0S'}}""".formatted(URL))))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        JsonNode definition = body(result).get("definition");
        assertThat(definition.get("request").get("method").asString()).isEqualTo("POST");
        assertThat(definition.get("request").get("timeout").asString()).isEqualTo("2500ms");
        assertThat(definition.get("workload").get("duration").asString()).isEqualTo("90s");
        assertThat(definition.get("workload").get("rampUp").asString()).isEqualTo("0s");
    }

    // ---------------------------------------------------------------- invalid definitions: 400 naming the field

    static Stream<Arguments> invalidDefinitions() {
        return Stream.of(
                invalid("url missing", "{'request': {}, 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "request.url", "must not be blank"),
                invalid("url relative", request("'url': '/api/items'"), "request.url", "absolute http:// or https:// URL"),
                invalid("url ftp://", request("'url': 'ftp://127.0.0.1/file'"), "request.url", "absolute http:// or https:// URL"),
                invalid("url not a URL", request("'url': 'not a url'"), "request.url", "absolute http:// or https:// URL"),
                invalid("url port out of range", request("'url': 'http://127.0.0.1:99999/'"), "request.url", "absolute http"),
                invalid("url an array", request("'url': ['http://x/']"), "request.url", "must be a string"),
                invalid("request missing", "{'workload': {'concurrency': 10, 'duration': '10s'}}", "request", "give a request"),
                invalid("request a string", "{'request': '" + URL + "', 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "request", "must be an object"),
                invalid("workload missing", "{'request': {'url': '" + URL + "'}}", "workload", "must not be null"),
                invalid("concurrency 0", workload("'concurrency': 0, 'duration': '10s'"),
                        "workload.concurrency", "must be greater than or equal to 1"),
                invalid("concurrency 10001", workload("'concurrency': 10001, 'duration': '10s'"),
                        "workload.concurrency", "must be less than or equal to 10000"),
                invalid("concurrency 1.5", workload("'concurrency': 1.5, 'duration': '10s'"),
                        "workload.concurrency", "must be a whole number"),
                invalid("concurrency 'abc'", workload("'concurrency': 'abc', 'duration': '10s'"),
                        "workload.concurrency", "must be a whole number"),
                invalid("concurrency missing (closed model)", workload("'duration': '10s'"),
                        "workload.concurrency", "is required for the closed model"),
                invalid("duration 500ms (< 1s)", workload("'concurrency': 10, 'duration': '500ms'"),
                        "workload.duration", "must be between 1s and 1h"),
                invalid("duration 2h (> 1h)", workload("'concurrency': 10, 'duration': '2h'"),
                        "workload.duration", "must be between 1s and 1h"),
                invalid("duration '5 parsecs'", workload("'concurrency': 10, 'duration': '5 parsecs'"),
                        "workload.duration", "'5 parsecs' is not a duration"),
                invalid("duration 5 (a number)", workload("'concurrency': 10, 'duration': 5"),
                        "workload.duration", "must be a duration string such as \"250ms\""),
                invalid("duration too long to hold", workload("'concurrency': 10, 'duration': '99999999999999999h'"),
                        "workload.duration", "is too long"),
                invalid("duration missing", workload("'concurrency': 10"), "workload.duration", "is required"),
                invalid("timeout 0ms", request("'url': '" + URL + "', 'timeout': '0ms'"),
                        "request.timeout", "must be between 1ms and 5m"),
                invalid("timeout 6m", request("'url': '" + URL + "', 'timeout': '6m'"),
                        "request.timeout", "must be between 1ms and 5m"),
                invalid("method FETCH", request("'url': '" + URL + "', 'method': 'FETCH'"),
                        "request.method", "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
                invalid("model bogus", workload("'model': 'bogus', 'concurrency': 10, 'duration': '10s'"),
                        "workload.model", "must be one of closed, open"),
                invalid("priority URGENT", "{'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}, 'priority': 'URGENT'}",
                        "priority", "must be one of HIGH, NORMAL, LOW"),
                invalid("keepAlive 'yes'", request("'url': '" + URL + "', 'keepAlive': 'yes'"),
                        "request.keepAlive", "must be true or false"),
                invalid("expectedStatus one code", expectedStatus("[200]"), "expectedStatus", "inclusive range [from, to]"),
                invalid("expectedStatus a string", expectedStatus("'200-399'"), "expectedStatus", "must be an array"),
                invalid("expectedStatus 600", expectedStatus("[200, 600]"), "expectedStatus[1]", "less than or equal to 599"),
                invalid("expectedStatus from > to", expectedStatus("[400, 200]"), "expectedStatus", "from must not be greater than to"),
                invalid("unknown top-level field", "{'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}, 'colour': 'red'}",
                        "colour", "is not a known field"),
                invalid("unknown nested field request.urll", "{'request': {'urll': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "request.urll", "is not a known field; known fields here: body, headers, "),
                invalid("unknown field in a stage", workload("'duration': '10s', 'stages': [{'duration': '5s', 'target': 10, 'hold': '1s'}]"),
                        "workload.stages[0].hold", "is not a known field"),
                invalid("header value with CR/LF", headers("'X-Test': 'a\\r\\nInjected: yes'"),
                        "request.headers[X-Test]", "must not contain line breaks"),
                invalid("header name with a space", headers("'Bad Name': 'x'"),
                        "request.headers[Bad Name]", "must be a valid header name"),
                invalid("header name over 256 characters", headers("'" + "X".repeat(257) + "': 'x'"),
                        "request.headers[" + "X".repeat(257) + "]", "size must be between 0 and 256"),
                invalid("header value null", headers("'X-Test': null"), "request.headers[X-Test]", "must not be null"),
                invalid("header Content-Length (transport-owned)", headers("'Content-Length': '10'"),
                        "request.headers[Content-Length]", "is set by Barrage"),
                invalid("HEAD with a body", request("'url': '" + URL + "', 'method': 'HEAD', 'body': 'x'"),
                        "request.body", "a HEAD request cannot carry a body"),
                invalid("open model without rate", workload("'model': 'open', 'duration': '10s'"),
                        "workload.rate", "is required for the open model"),
                invalid("open model with concurrency", workload("'model': 'open', 'rate': 10, 'concurrency': 5, 'duration': '10s'"),
                        "workload.concurrency", "applies to the closed model"),
                invalid("rate 0", workload("'model': 'open', 'rate': 0, 'duration': '10s'"),
                        "workload.rate", "must be greater than 0"),
                invalid("closed model with rate", workload("'rate': 10, 'concurrency': 5, 'duration': '10s'"),
                        "workload.rate", "applies to the open model"),
                invalid("stages with concurrency", workload("'concurrency': 5, 'stages': [{'duration': '5s', 'target': 10}]"),
                        "workload.concurrency", "cannot be combined with stages"),
                invalid("stage without target", workload("'stages': [{'duration': '5s'}]"),
                        "workload.stages[0].target", "must not be null"),
                invalid("threshold with a bad value", "{'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}, 'thresholds': ['p99 < fast']}",
                        "thresholds[0]", "'fast' is not a duration"),
                invalid("threshold blank", "{'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}, 'thresholds': ['']}",
                        "thresholds[0]", "must not be blank"),
                invalid("url with credentials", request("'url': 'http://user:secret@127.0.0.1/'"), "request.url", "absolute http"),
                invalid("name an object", "{'name': {'a': 1}, 'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "name", "must be a string"),
                invalid("expectedStatus ['abc']", expectedStatus("[200, 'abc']"), "expectedStatus[1]", "must be a whole number"),
                invalid("concurrency true", workload("'concurrency': true, 'duration': '10s'"),
                        "workload.concurrency", "must be a whole number"),
                invalid("rate 'fast'", workload("'model': 'open', 'rate': 'fast', 'duration': '10s'"),
                        "workload.rate", "must be a number"),
                invalid("rate beyond double range", workload("'model': 'open', 'rate': 1e400, 'duration': '10s'"),
                        "workload.rate", "must be less than or equal to 100000"),
                invalid("too many headers", headers(IntStream.rangeClosed(1, 101).mapToObj(i -> "'X-H" + i + "': 'v'").collect(Collectors.joining(", "))),
                        "request.headers", "size must be between 0 and 100"),
                invalid("concurrency '1' (a string)", workload("'concurrency': '1', 'duration': '10s'"),
                        "workload.concurrency", "must be a whole number"),
                invalid("rate '10' (a string)", workload("'model': 'open', 'rate': '10', 'duration': '10s'"),
                        "workload.rate", "must be a number"),
                invalid("insecureTls 1", request("'url': '" + URL + "', 'insecureTls': 1"),
                        "request.insecureTls", "must be true or false"),
                invalid("keepAlive 'true' (a string)", request("'url': '" + URL + "', 'keepAlive': 'true'"),
                        "request.keepAlive", "must be true or false"),
                invalid("name 5 (a number)", "{'name': 5, 'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "name", "must be a string"),
                invalid("header value 5 (a number)", headers("'X-N': 5"), "request.headers[X-N]", "must be a string"),
                invalid("name with a lone surrogate", "{'name': 'a\\ud800b', 'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}}",
                        "name", "lone UTF-16 surrogate"),
                invalid("body with a lone low surrogate", request("'url': '" + URL + "', 'method': 'POST', 'body': '\\udc00'"),
                        "request.body", "lone UTF-16 surrogate"),
                invalid("header value with a lone surrogate", headers("'X-Test': '\\ud83d'"),
                        "request.headers[X-Test]", "lone UTF-16 surrogate"),
                // an int that does not fit is still a wrong value of a known field, not broken JSON
                invalid("concurrency beyond int range", workload("'concurrency': 99999999999, 'duration': '10s'"),
                        "workload.concurrency", "must be"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("invalidDefinitions")
    void anInvalidDefinitionIsA400NamingTheField(String name, String body, String field, String message) throws Exception {
        MvcResult result = mvc.perform(postTests(body)).andReturn();

        JsonNode problem = assertProblem(result, 400, "invalid-definition", "Invalid test definition", "/tests");
        assertThat(problem.get("detail").asString()).contains(field + ": ");
        assertThat(errors(problem)).as("errors of %s", problem)
                .anySatisfy(error -> {
                    assertThat(error.field()).isEqualTo(field);
                    assertThat(error.message()).contains(message);
                });
    }

    // ---------------------------------------------------------------- invalid scenarios: 400 naming the place

    static Stream<Arguments> invalidScenarios() {
        return Stream.of(
                invalid("unknown template name", scenarios("""
                        {'name': 'browse', 'steps': [{'request': {'url': '%1$s/items'}}]},
                        {'name': 'buy', 'steps': [
                          {'name': 'login', 'request': {'method': 'POST', 'url': '%1$s/login'},
                           'capture': [{'jsonPath': '$.token', 'as': 'token'}]},
                          {'name': 'order', 'request': {'method': 'POST', 'url': '%1$s/orders',
                           'headers': {'Authorization': 'Bearer {{tokn}}'}}}]}"""),
                        "scenarios[1].steps[1].request.headers[Authorization]", "{{tokn}}"),
                invalid("capture used before the step that makes it", oneScenario("""
                        {'name': 'order', 'request': {'url': '%1$s/orders', 'headers': {'Authorization': 'Bearer {{token}}'}}},
                        {'name': 'login', 'request': {'url': '%1$s/login'}, 'capture': [{'jsonPath': '$.token', 'as': 'token'}]}"""),
                        "scenarios[0].steps[0].request.headers[Authorization]", "{{token}}"),
                invalid("host from data", "{'data': {'csv': 'host\\n127.0.0.1\\n'}, "
                                + oneScenario("{'request': {'url': 'http://{{data.host}}:8081/items'}}").substring(1),
                        "scenarios[0].steps[0].request.url", "http://{{data.host}}:8081/items"),
                invalid("port from a function", oneScenario("{'request': {'url': 'http://127.0.0.1:{{$randomInt(1,9)}}/'}}"),
                        "scenarios[0].steps[0].request.url", "http://127.0.0.1:{{$randomInt(1,9)}}/"),
                invalid("duplicate step names", scenarios("""
                        {'name': 'a', 'steps': [{'name': 'login', 'request': {'url': '%1$s/login'}}]},
                        {'name': 'b', 'steps': [{'name': 'login', 'request': {'url': '%1$s/signin'}}]}"""),
                        "scenarios[1].steps[0].name", "'login'"),
                invalid("a scenario without steps", scenarios("{'name': 'idle', 'steps': []}"),
                        "scenarios[0].steps", "from 1 to 100 steps"),
                invalid("a scenario of think steps only", scenarios("{'name': 'idle', 'steps': [{'think': '1s'}]}"),
                        "scenarios[0].steps", "at least one step with a request"),
                invalid("no scenarios", "{'scenarios': [], 'workload': {'concurrency': 1, 'duration': '1s'}}",
                        "scenarios", "from 1 to 50 scenarios"),
                invalid("data too large", "{'data': {'csv': '" + "x".repeat((int) RunLimits.DEFAULT_MAX_DATA_BYTES + 1) + "'}, "
                                + oneScenario("{'request': {'url': '%s/items'}}").substring(1),
                        "data", "barrage.limits.max-data-size"),
                invalid("a CSV row with the wrong number of fields", "{'data': {'csv': 'email,password\\na@x.test,pw1\\nb@x.test\\n'}, "
                                + oneScenario("{'request': {'url': '%s/items'}}").substring(1),
                        "data.csv", "line 3 has 1 field"),
                invalid("51 request steps", oneScenario(IntStream.rangeClosed(1, 51)
                                .mapToObj(i -> "{'request': {'url': '%1$s/items/" + i + "'}}").collect(Collectors.joining(", "))),
                        "scenarios", "51 request steps"),
                invalid("weight 0", weights("8", "0"), "scenarios[1].weight", "from 1 to 1000"),
                invalid("weight -1", weights("8", "-1"), "scenarios[1].weight", "from 1 to 1000"),
                invalid("weight 'eight' (a string)", weights("'eight'", "2"), "scenarios[0].weight", "must be a whole number"),
                invalid("weight 1.5", weights("1.5", "2"), "scenarios[0].weight", "must be a whole number"),
                invalid("think 5 (a number)", oneScenario("{'request': {'url': '%s/a'}}, {'think': 5}"),
                        "scenarios[0].steps[1].think", "must be a duration string"),
                invalid("unknown field in a step", oneScenario("{'requets': {'url': '%s/a'}}"),
                        "scenarios[0].steps[0].requets", "is not a known field"),
                invalid("both request and scenarios", "{'request': {'url': '" + URL + "'}, 'scenarios': [{'steps': "
                        + "[{'request': {'url': '" + URL + "'}}]}], 'workload': {'concurrency': 1, 'duration': '1s'}}",
                        "scenarios", "one of the two"),
                invalid("a step with both request and think", oneScenario("{'request': {'url': '%s/a'}, 'think': '1s'}"),
                        "scenarios[0].steps[0]", "one of the two"),
                invalid("a capture of two kinds", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'jsonPath': '$.token', 'regex': 't=(.+)', 'as': 'token'}]}"""),
                        "scenarios[0].steps[0].capture[0]", "exactly one of jsonPath, header or regex"),
                invalid("a jsonPath check with neither equals nor exists", oneScenario("""
                        {'request': {'url': '%s/items'}, 'checks': [{'jsonPath': '$.items'}]}"""),
                        "scenarios[0].steps[0].checks[0]", "equals (a value) or exists"),
                invalid("an invalid regex", oneScenario("""
                        {'request': {'url': '%s/login'}, 'capture': [{'regex': 'id=([0-9]+', 'as': 'id'}]}"""),
                        "scenarios[0].steps[0].capture[0].regex", "not a valid regular expression"),
                invalid("a threshold naming a missing step", withThresholds("'p99 < 250ms', 'checks >= 0.99', 'p95{step=\\'logn\\'} < 300ms'",
                                oneScenario("{'name': 'login', 'request': {'url': '%s/login'}}")),
                        "thresholds[2]", "'logn'"),
                invalid("a space in the literal path", oneScenario("{'request': {'url': '%s/items/a b?id={{$uuid}}'}}"),
                        "scenarios[0].steps[0].request.url", "/items/a b?id={{$uuid}}"),
                invalid("a data value with a line break used in a header", "{'data': {'rows': [{'user': 'a'}, {'user': 'b\\r\\nX-Evil: 1'}]}, "
                                + oneScenario("{'request': {'url': '%s/me', 'headers': {'X-User': '{{data.user}}'}}}").substring(1),
                        "scenarios[0].steps[0].request.headers[X-User]", "{{data.user}}"),
                invalid("variables containing {{", "{'variables': {'base': '{{host}}'}, "
                                + oneScenario("{'request': {'url': '%s/items'}}").substring(1),
                        "variables.base", "must not contain {{"),
                invalid("a literal header value with CR/LF in a step", oneScenario("{'request': {'url': '%s/a', 'headers': {'X-Test': 'a\\r\\nX: y'}}}"),
                        "scenarios[0].steps[0].request.headers[X-Test]", "must not contain line breaks"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("invalidScenarios")
    void anInvalidScenarioIsA400NamingThePlace(String name, String body, String field, String message) throws Exception {
        anInvalidDefinitionIsA400NamingTheField(name, body, field, message);
    }

    @Test
    void everyProblemOfADefinitionIsListedSortedByField() throws Exception {
        MvcResult result = mvc.perform(postTests(json("""
                {'request': {'url': 'ftp://x', 'method': 'FETCH', 'timeout': '6m'},
                 'workload': {'concurrency': 0, 'duration': '2h'}}"""))).andReturn();

        JsonNode problem = assertProblem(result, 400, "invalid-definition", "Invalid test definition", "/tests");
        assertThat(errors(problem)).extracting(FieldProblem::field).containsExactly(
                "request.method", "request.timeout", "request.url", "workload.concurrency", "workload.duration");
        assertThat(problem.get("detail").asString()).startsWith("request.method: must be one of");
        verify(runs, never()).submit(any());
    }

    @Test
    void aRuleRefusedByTheServiceIsA400WithItsErrors() throws Exception {
        willThrow(new InvalidDefinitionException(List.of(
                new FieldProblem("workload.rampUp", "rampUp plus duration must not exceed 1h"),
                new FieldProblem("request", "cannot resolve host")))).given(runs).submit(any());

        MvcResult result = mvc.perform(postTests(json("""
                {'request': {'url': '%s'}, 'workload': {'concurrency': 1, 'duration': '1s'}}""".formatted(URL))))
                .andReturn();

        JsonNode problem = assertProblem(result, 400, "invalid-definition", "Invalid test definition", "/tests");
        assertThat(errors(problem)).containsExactly(
                new FieldProblem("request", "cannot resolve host"),
                new FieldProblem("workload.rampUp", "rampUp plus duration must not exceed 1h"));
        assertThat(problem.get("detail").asString())
                .isEqualTo("request: cannot resolve host; workload.rampUp: rampUp plus duration must not exceed 1h");
    }

    // ---------------------------------------------------------------- unreadable bodies

    static Stream<Arguments> malformedJson() {
        String valid = "{\"request\": {\"url\": \"" + URL + "\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}}";
        return Stream.of(
                Arguments.of("truncated body", "{\"request\": {\"url\": \"" + URL + "\""),
                Arguments.of("trailing garbage", valid + " xyz"),
                Arguments.of("a second document", valid + " {}"),
                Arguments.of("missing value", "{\"request\": }"),
                Arguments.of("single quotes", "{'request': {}}"),
                Arguments.of("unquoted key", "{request: {}}"),
                Arguments.of("a key given twice", valid.replace("{\"request\"", "{\"request\": {\"url\": \"x\"}, \"request\"")),
                Arguments.of("a nested key given twice", valid.replace("{\"url\"", "{\"url\": \"x\", \"url\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedJson")
    void malformedJsonIsA400WithLineAndColumn(String name, String body) throws Exception {
        MvcResult result = mvc.perform(postTests(body)).andReturn();

        JsonNode problem = assertProblem(result, 400, "malformed-json", "Malformed JSON", "/tests");
        assertThat(problem.get("detail").asString()).matches("(?s)The body is not valid JSON at line \\d+, column \\d+: .+");
        verify(runs, never()).submit(any());
    }

    @Test
    void aPairedSurrogateIsValidUnicodeAndAccepted() throws Exception {
        MvcResult result = mvc.perform(postTests(json(
                "{'name': 'rocket \\ud83d\\ude80', 'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 1, 'duration': '1s'}}")))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(JSON.readTree(result.getResponse().getContentAsString()).get("name").asString())
                .isEqualTo("rocket " + new String(Character.toChars(0x1F680)));
    }

    @Test
    void aBodyOverTheDefinitionSizeLimitIsA413BeforeItIsRead() throws Exception {
        String body = "{\"name\": \"" + "x".repeat((int) RunLimits.DEFAULT_MAX_DEFINITION_BYTES) + "\"}";

        MvcResult result = mvc.perform(postTests(body)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(413);
        JsonNode problem = JSON.readTree(result.getResponse().getContentAsString());
        assertThat(problem.get("type").asString()).isEqualTo(PROBLEMS + "payload-too-large");
        assertThat(problem.get("detail").asString()).contains("barrage.limits.max-definition-size");
        verify(runs, never()).submit(any());
    }

    @Test
    void anEmptyBodyIsA400AskingForADefinition() throws Exception {
        MvcResult result = mvc.perform(post("/tests").contentType(MediaType.APPLICATION_JSON)).andReturn();

        JsonNode problem = assertProblem(result, 400, "malformed-json", "Malformed JSON", "/tests");
        assertThat(problem.get("detail").asString()).contains("missing").contains("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[{\"request\": {\"url\": \"http://x/\"}}]", "\"GET http://x/\"", "42"})
    void aJsonValueThatIsNotAnObjectIsA400SayingAnObjectIsExpected(String body) throws Exception {
        MvcResult result = mvc.perform(postTests(body)).andReturn();

        JsonNode problem = assertProblem(result, 400, null, null, "/tests");
        String detail = problem.get("detail").asString();
        assertThat(detail).as("the body is valid JSON, just not an object").doesNotContain("not valid JSON");
        assertThat(detail).contains("object");
        assertThat(detail).as("no Java type names").doesNotContain("dev.barrage").doesNotContain("`");
        verify(runs, never()).submit(any());
    }

    @Test
    void theJsonLiteralNullIsA400AskingForADefinition() throws Exception {
        MvcResult result = mvc.perform(postTests("null")).andReturn();

        assertProblem(result, 400, "malformed-json", "Malformed JSON", "/tests");
        verify(runs, never()).submit(any());
    }

    @Test
    void anUnreadableCharsetIsA4xxProblem() throws Exception {
        MvcResult result = mvc.perform(post("/tests").header("Content-Type", "application/json;charset=bogus")
                .content("{}")).andReturn();

        assertThat(result.getResponse().getStatus()).isIn(400, 415);
        assertProblem(result, result.getResponse().getStatus(), null, null, "/tests");
    }

    // ---------------------------------------------------------------- framework errors: still problem details

    @Test
    void aWrongMediaTypeIsA415Problem() throws Exception {
        MvcResult result = mvc.perform(post("/tests").contentType(MediaType.TEXT_PLAIN).content("GET http://x/")).andReturn();

        assertThat(result.getResponse().getHeader("Accept")).as("the media types POST /tests takes").contains("application/json");
        JsonNode problem = assertProblem(result, 415, "unsupported-media-type", "Unsupported Media Type", "/tests");
        assertThat(problem.get("detail").asString()).contains("text/plain");
    }

    @Test
    void anUnknownPathIsA404Problem() throws Exception {
        MvcResult result = mvc.perform(get("/nope").accept(MediaType.APPLICATION_JSON)).andReturn();

        assertProblem(result, 404, "not-found", "Not Found", "/nope");
    }

    @Test
    void aWrongMethodIsA405Problem() throws Exception {
        MvcResult result = mvc.perform(delete("/tests").accept(MediaType.APPLICATION_JSON)).andReturn();

        assertThat(result.getResponse().getHeader("Allow")).contains("GET").contains("POST");
        JsonNode problem = assertProblem(result, 405, "method-not-allowed", "Method Not Allowed", "/tests");
        assertThat(problem.get("detail").asString()).contains("DELETE");
    }

    // ---------------------------------------------------------------- query parameters

    static Stream<Arguments> invalidParameters() {
        return Stream.of(
                Arguments.of("status=BOGUS", "status", "must be one of QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED"),
                Arguments.of("status=runing", "status", "must be one of QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED"),
                Arguments.of("limit=0", "limit", "must be greater than or equal to 1"),
                Arguments.of("limit=1001", "limit", "must be less than or equal to 1000"),
                Arguments.of("limit=-5", "limit", "must be greater than or equal to 1"),
                Arguments.of("limit=abc", "limit", "must be a whole number"));
    }

    @ParameterizedTest(name = "GET /tests?{0}")
    @MethodSource("invalidParameters")
    void anInvalidQueryParameterIsA400Problem(String query, String parameter, String message) throws Exception {
        MvcResult result = mvc.perform(get("/tests?" + query).accept(MediaType.APPLICATION_JSON)).andReturn();

        JsonNode problem = assertProblem(result, 400, "invalid-parameter", "Invalid request parameter", "/tests");
        assertThat(problem.get("detail").asString()).startsWith(parameter + ": ");
        assertThat(errors(problem)).containsExactly(new FieldProblem(parameter, message));
        verify(runs, never()).list(any(), anyInt());
    }

    @ParameterizedTest(name = "status={0}")
    @ValueSource(strings = {"RUNNING", "running", "Running"})
    void validQueryParametersReachTheServiceWhateverTheCaseOfTheStatus(String status) throws Exception {
        given(runs.list(RunStatus.RUNNING, 5)).willReturn(List.of());

        MvcResult result = mvc.perform(get("/tests?status=" + status + "&limit=5")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("[]");
        verify(runs).list(RunStatus.RUNNING, 5);
    }

    @Test
    void wholeRatesAndStageTargetsAreShownAsTheUserWroteThemAndFractionsStayFractions() throws Exception {
        MvcResult result = mvc.perform(postTests(json("{'request': {'url': '" + URL + "'}, 'workload': {'model': 'open',"
                + " 'stages': [{'duration': '5s', 'target': 200}, {'duration': '5s', 'target': 12.5}]}}"))).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(result.getResponse().getContentAsString())
                .contains("{\"duration\":\"5s\",\"target\":200}", "{\"duration\":\"5s\",\"target\":12.5}");
        MvcResult open = mvc.perform(postTests(json("{'request': {'url': '" + URL + "'}, 'workload': {'model': 'open',"
                + " 'rate': 500, 'duration': '10s'}}"))).andReturn();
        assertThat(open.getResponse().getContentAsString()).contains("\"rate\":500,");
    }

    // ---------------------------------------------------------------- runs that do not exist or have ended

    static Stream<Arguments> unknownRun() {
        return Stream.of(
                Arguments.of(get("/tests/abc"), "/tests/abc"),
                Arguments.of(get("/tests/abc/timeline"), "/tests/abc/timeline"),
                Arguments.of(post("/tests/abc/cancel"), "/tests/abc/cancel"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unknownRun")
    void anUnknownRunIsA404Problem(MockHttpServletRequestBuilder request, String path) throws Exception {
        given(runs.get("abc")).willThrow(new RunNotFoundException("abc"));
        given(runs.cancel("abc")).willThrow(new RunNotFoundException("abc"));

        MvcResult result = mvc.perform(request.accept(MediaType.APPLICATION_JSON)).andReturn();

        JsonNode problem = assertProblem(result, 404, "run-not-found", "Test run not found", path);
        assertThat(problem.get("detail").asString()).startsWith("No test run with id 'abc'.");
        assertThat(problem.has("errors")).isFalse();
    }

    @Test
    void cancellingAFinishedRunIsA409Problem() throws Exception {
        given(runs.cancel("5f0c1e7a9b2d")).willThrow(new RunAlreadyFinishedException("5f0c1e7a9b2d", RunStatus.COMPLETED));

        MvcResult result = mvc.perform(post("/tests/5f0c1e7a9b2d/cancel")).andReturn();

        JsonNode problem = assertProblem(result, 409, "run-already-finished", "Test run already finished",
                "/tests/5f0c1e7a9b2d/cancel");
        assertThat(problem.get("detail").asString())
                .isEqualTo("Test run '5f0c1e7a9b2d' has already ended as COMPLETED; only QUEUED or RUNNING runs can be cancelled.");
    }

    @Test
    void cancellingARunningRunIsA202WithTheRun() throws Exception {
        given(runs.cancel("5f0c1e7a9b2d")).willReturn(
                TestRuns.finished("5f0c1e7a9b2d", minimalDefinition(), RunStatus.CANCELLED));

        MvcResult result = mvc.perform(post("/tests/5f0c1e7a9b2d/cancel")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        JsonNode run = body(result);
        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("progress").asDouble()).as("it never applied load").isEqualTo(0.0);
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutInternals() throws Exception {
        given(runs.get(eq("boom"))).willThrow(new IllegalStateException("secret internal state at dev.barrage.X"));

        MvcResult result = mvc.perform(get("/tests/boom")).andReturn();

        JsonNode problem = assertProblem(result, 500, "internal-error", "Internal error", "/tests/boom");
        assertThat(problem.get("detail").asString()).doesNotContain("secret");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Status, media type, the stable type URI (null: any Barrage problem type), title (null: any),
     * instance, a detail, and no stack trace or exception name anywhere in the body.
     */
    private static JsonNode assertProblem(MvcResult result, int status, String type, String title, String instance)
            throws Exception {
        String raw = result.getResponse().getContentAsString();
        assertThat(result.getResponse().getStatus()).as("status of %s", raw).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).as("content type of %s", raw)
                .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertNoStackTrace(result);
        JsonNode problem = JSON.readTree(raw);
        assertThat(text(problem, "type")).as("type of %s", raw)
                .startsWith(PROBLEMS).isEqualTo(type == null ? text(problem, "type") : PROBLEMS + type);
        if (title != null) {
            assertThat(text(problem, "title")).as("title of %s", raw).isEqualTo(title);
        }
        assertThat(problem.path("status").asInt()).as("status in %s", raw).isEqualTo(status);
        assertThat(text(problem, "instance")).as("instance of %s", raw).isEqualTo(instance);
        assertThat(text(problem, "detail")).as("detail of %s", raw).isNotBlank();
        return problem;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static void assertNoStackTrace(MvcResult result) throws Exception {
        assertThat(result.getResponse().getContentAsString())
                .doesNotContain("Exception")
                .doesNotContain("at dev.barrage")
                .doesNotContain("\tat ")
                .doesNotContainIgnoringCase("trace");
    }

    private static List<FieldProblem> errors(JsonNode problem) {
        assertThat(problem.has("errors")).as("errors in %s", problem).isTrue();
        return JSON.convertValue(problem.get("errors"),
                JSON.getTypeFactory().constructCollectionType(List.class, FieldProblem.class));
    }

    private static JsonNode body(MvcResult result) throws Exception {
        return JSON.readTree(result.getResponse().getContentAsString());
    }

    private static RequestBuilder postTests(String body) {
        return post("/tests").contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).content(body);
    }

    private static TestDefinition minimalDefinition() {
        return new TestDefinition(null, new RequestDefinition(null, URL, null, null, null, null, null),
                new WorkloadDefinition(null, 1, null, Duration.ofSeconds(1), null, null, null), null, null, null);
    }

    private static Arguments invalid(String name, String body, String field, String message) {
        return Arguments.of(name, json(body), field, message);
    }

    /** A definition with this request (the workload is valid). */
    private static String request(String fields) {
        return "{'request': {" + fields + "}, 'workload': {'concurrency': 10, 'duration': '10s'}}";
    }

    /** A definition with this workload (the request is valid). */
    private static String workload(String fields) {
        return "{'request': {'url': '" + URL + "'}, 'workload': {" + fields + "}}";
    }

    /** A definition of these scenarios; {@code %1$s} (or a lone {@code %s}) is the loopback base URL. */
    private static String scenarios(String scenarios) {
        return "{'scenarios': [" + scenarios.formatted("http://127.0.0.1:8081") + "], 'workload': {'concurrency': 1, 'duration': '1s'}}";
    }

    private static String oneScenario(String steps) {
        return scenarios("{'name': 'journey', 'steps': [" + steps + "]}");
    }

    /** {@code \\'} in a threshold is a quote inside the JSON string. */
    private static String withThresholds(String thresholds, String definition) {
        return definition.substring(0, definition.length() - 1) + ", 'thresholds': [" + thresholds + "]}";
    }

    private static String weights(String first, String second) {
        return scenarios("{'name': 'browse', 'weight': " + first + ", 'steps': [{'request': {'url': '%1$s/items'}}]},"
                + " {'name': 'buy', 'weight': " + second + ", 'steps': [{'request': {'url': '%1$s/buy'}}]}");
    }

    private static String headers(String entries) {
        return request("'url': '" + URL + "', 'headers': {" + entries + "}");
    }

    private static String expectedStatus(String value) {
        return "{'request': {'url': '" + URL + "'}, 'workload': {'concurrency': 10, 'duration': '10s'}, 'expectedStatus': " + value + "}";
    }

    /** Test bodies are written with single quotes for readability. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
