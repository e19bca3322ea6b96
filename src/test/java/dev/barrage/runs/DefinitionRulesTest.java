package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cross-field rules RunService checks after Bean Validation: each refusal names its field. */
class DefinitionRulesTest {

    private static final RequestDefinition REQUEST =
            new RequestDefinition(null, "http://127.0.0.1:8081/api/items", null, null, null, null, null);
    private static final WorkloadDefinition WORKLOAD =
            new WorkloadDefinition(null, 10, null, Duration.ofSeconds(10), null, null, null);
    private static final TestDefinition VALID = new TestDefinition(null, REQUEST, WORKLOAD, null, null, null);

    @Test
    void aMinimalClosedDefinitionPasses() {
        assertThatNoException().isThrownBy(() -> DefinitionRules.check(VALID));
    }

    @Test
    void aFullyFilledInClosedDefinitionPasses() {
        TestDefinition full = new TestDefinition("full",
                new RequestDefinition("POST", "https://example.test/", Map.of("Accept", "application/json"), "{}",
                        Duration.ofSeconds(2), false, true),
                new WorkloadDefinition(WorkloadModel.CLOSED, 5, null, Duration.ofMinutes(1), Duration.ZERO, null, null),
                List.of(200, 299), List.of(), Priority.HIGH);

        assertThatNoException().isThrownBy(() -> DefinitionRules.check(full));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("open model with rate", workload(open(200.0, 50, Duration.ofSeconds(30)))),
                Arguments.of("closed stages", workload(new WorkloadDefinition(null, null, null, null, null, null,
                        stages(stage(10, 50), stage(20, 50), stage(5, 0))))),
                Arguments.of("open stages", workload(new WorkloadDefinition(WorkloadModel.OPEN, null, null, null, null, 100,
                        stages(stage(10, 0.5), stage(10, 100_000))))),
                Arguments.of("ramp-up", workload(new WorkloadDefinition(null, 10, null, Duration.ofMinutes(50), Duration.ofMinutes(10), null, null))),
                Arguments.of("thresholds", thresholds("p99 < 250ms", "error_rate<0.01", "rps >= 400", "P999 <= 1.5s", "mean > 0ms")),
                Arguments.of("expectedStatus from = to", (UnaryOperator<TestDefinition>) definition ->
                        new TestDefinition(null, REQUEST, WORKLOAD, List.of(204, 204), null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, UnaryOperator<TestDefinition> change) {
        assertThatNoException().isThrownBy(() -> DefinitionRules.check(change.apply(VALID)));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refusal("Content-Length header", request(withHeader("Content-Length", "10")),
                        "request.headers[Content-Length]", "is set by Barrage"),
                refusal("transfer-encoding header in any case", request(withHeader("transfer-ENCODING", "chunked")),
                        "request.headers[transfer-ENCODING]", "is set by Barrage"),
                refusal("Connection header", request(withHeader("connection", "close")),
                        "request.headers[connection]", "keepAlive"),
                refusal("HEAD with a body", request(new RequestDefinition("head", REQUEST.url(), null, "x", null, null, null)),
                        "request.body", "HEAD request cannot carry a body"),
                refusal("open model without rate", workload(open(null, null, Duration.ofSeconds(10))),
                        "workload.rate", "is required for the open model"),
                refusal("open model with concurrency", workload(new WorkloadDefinition(WorkloadModel.OPEN, 5, 10.0, Duration.ofSeconds(10), null, null, null)),
                        "workload.concurrency", "applies to the closed model"),
                refusal("closed without concurrency", workload(new WorkloadDefinition(null, null, null, Duration.ofSeconds(10), null, null, null)),
                        "workload.concurrency", "is required for the closed model"),
                refusal("closed without duration", workload(new WorkloadDefinition(null, 10, null, null, null, null, null)),
                        "workload.duration", "is required"),
                refusal("closed with a rate", workload(new WorkloadDefinition(null, 10, 5.0, Duration.ofSeconds(10), null, null, null)),
                        "workload.rate", "applies to the open model"),
                refusal("closed with maxConcurrency", workload(new WorkloadDefinition(null, 10, null, Duration.ofSeconds(10), null, 20, null)),
                        "workload.maxConcurrency", "applies to the open model"),
                refusal("rampUp plus duration over 1h", workload(new WorkloadDefinition(null, 10, null, Duration.ofMinutes(50), Duration.ofMinutes(11), null, null)),
                        "workload.rampUp", "must not exceed 1h"),
                refusal("stages with concurrency", workload(new WorkloadDefinition(null, 10, null, null, null, null, stages(stage(10, 5)))),
                        "workload.concurrency", "cannot be combined with stages"),
                refusal("stages with duration", workload(new WorkloadDefinition(null, null, null, Duration.ofSeconds(10), null, null, stages(stage(10, 5)))),
                        "workload.duration", "cannot be combined with stages"),
                refusal("closed stage with a fractional target", workload(new WorkloadDefinition(null, null, null, null, null, null, stages(stage(10, 1.5)))),
                        "workload.stages[0].target", "whole number of virtual users"),
                refusal("closed stage with too many users", workload(new WorkloadDefinition(null, null, null, null, null, null, stages(stage(10, 5), stage(10, 10_001)))),
                        "workload.stages[1].target", "whole number of virtual users"),
                refusal("open stage above the maximum rate", workload(new WorkloadDefinition(WorkloadModel.OPEN, null, null, null, null, null, stages(stage(10, 100_001)))),
                        "workload.stages[0].target", "requests per second"),
                refusal("stages shorter than 1s", workload(new WorkloadDefinition(null, null, null, null, null, null, stages(stage(0.5, 5)))),
                        "workload.stages", "between 1s and 1h"),
                refusal("stages longer than 1h", workload(new WorkloadDefinition(null, null, null, null, null, null, stages(stage(1800, 5), stage(1801, 5)))),
                        "workload.stages", "between 1s and 1h"),
                refusal("stages without any load", workload(new WorkloadDefinition(null, null, null, null, null, null, stages(stage(10, 0)))),
                        "workload.stages", "target above 0"),
                refusal("expectedStatus from > to", definition -> new TestDefinition(null, REQUEST, WORKLOAD, List.of(400, 200), null, null),
                        "expectedStatus", "from must not be greater than to"),
                refusal("threshold not METRIC OP VALUE", thresholds("p99 under 250ms"),
                        "thresholds[0]", "is not a threshold"),
                refusal("threshold with an unknown metric", thresholds("p98 < 250ms"),
                        "thresholds[0]", "'p98' is not a threshold metric"),
                refusal("latency threshold without a duration", thresholds("error_rate < 0.01", "p99 < 250"),
                        "thresholds[1]", "'250' is not a duration"),
                refusal("rate threshold without a number", thresholds("rps > many"),
                        "thresholds[0]", "'many' is not a number"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("refused")
    void refusesNamingTheField(String name, UnaryOperator<TestDefinition> change, String field, String message) {
        InvalidDefinitionException error = catchThrowableOfType(InvalidDefinitionException.class,
                () -> DefinitionRules.check(change.apply(VALID)));

        assertThat(error).as("refused").isNotNull();
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo(field);
            assertThat(problem.message()).contains(message);
        });
        assertThat(error.getMessage()).startsWith(field + ": ");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        TestDefinition wrong = new TestDefinition(null,
                new RequestDefinition("HEAD", REQUEST.url(), headers("Content-Length", "1"), "x", null, null, null),
                new WorkloadDefinition(null, null, null, null, null, null, null),
                List.of(500, 100), null, null);

        InvalidDefinitionException error = catchThrowableOfType(InvalidDefinitionException.class,
                () -> DefinitionRules.check(wrong));

        assertThat(error.problems()).extracting(FieldProblem::field).containsExactlyInAnyOrder(
                "request.headers[Content-Length]", "request.body", "workload.concurrency", "workload.duration",
                "expectedStatus");
    }

    private static UnaryOperator<TestDefinition> thresholds(String... thresholds) {
        return definition -> new TestDefinition(null, REQUEST, WORKLOAD, null, List.of(thresholds), null);
    }

    private static WorkloadDefinition open(Double rate, Integer maxConcurrency, Duration duration) {
        return new WorkloadDefinition(WorkloadModel.OPEN, null, rate, duration, null, maxConcurrency, null);
    }

    private static List<WorkloadDefinition.Stage> stages(WorkloadDefinition.Stage... stages) {
        return List.of(stages);
    }

    private static WorkloadDefinition.Stage stage(double seconds, double target) {
        return new WorkloadDefinition.Stage(Duration.ofMillis(Math.round(seconds * 1000)), target);
    }

    private static Arguments refusal(String name, UnaryOperator<TestDefinition> change, String field, String message) {
        return Arguments.of(name, change, field, message);
    }

    private static UnaryOperator<TestDefinition> request(RequestDefinition request) {
        return definition -> new TestDefinition(null, request, definition.workload(), null, null, null);
    }

    private static UnaryOperator<TestDefinition> workload(WorkloadDefinition workload) {
        return definition -> new TestDefinition(null, definition.request(), workload, null, null, null);
    }

    private static Map<String, String> headers(String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(name, value);
        return headers;
    }

    private static RequestDefinition withHeader(String name, String value) {
        return new RequestDefinition(null, REQUEST.url(), headers(name, value), null, null, null, null);
    }
}
