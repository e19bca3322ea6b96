package dev.barrage.api;

import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Describes every field of the definition and of a run in the OpenAPI document, with its default,
 * so Swagger UI reads like the reference (docs/api.md). Kept here rather than as annotations on the
 * records: the engine's records stay free of any format, and one table is easier to keep complete
 * (FrontDoorEndToEndTest fails on a field without a description).
 *
 * <p>Thread-safety: stateless.
 */
@Component
class SchemaDescriptions implements OpenApiCustomizer {

    /** A field's description and, when the API fills it in, its default as the definition shows it back. */
    private record Field(String description, Object defaultValue) {

        static Field of(String description) {
            return new Field(description, null);
        }
    }

    private static final Map<String, Map<String, Field>> FIELDS = Map.ofEntries(
            Map.entry("TestDefinition", Map.ofEntries(
                    Map.entry("name", new Field("shown in lists; up to 200 characters", "the method and URL")),
                    Map.entry("variables", Field.of("names and texts that {{name}} templates take, fixed at submission; they may give "
                            + "the scheme, host and port of URLs; at most 100")),
                    Map.entry("data", Field.of("rows that {{data.FIELD}} templates read, one row per iteration")),
                    Map.entry("request", Field.of("the HTTP request every virtual user (or open-model arrival) sends; give it or "
                            + "scenarios, one of the two")),
                    Map.entry("scenarios", Field.of("weighted journeys of several steps, instead of request: 1..50 scenarios, at most "
                            + "50 request steps in all")),
                    Map.entry("workload", Field.of("how load is applied: the closed or open model, its size and its length; required")),
                    Map.entry("expectedStatus", new Field("inclusive range [from, to] of status codes that count as success; "
                            + "anything else, and every transport error, is a failure; default [200, 399]", null)),
                    Map.entry("thresholds", new Field("pass/fail criteria METRIC OP VALUE: METRIC one of p50 p90 p95 p99 p999 max mean "
                            + "(VALUE a duration), error_rate, rps, checks (VALUE a number), optionally filtered as "
                            + "p95{step=\"login\"} or error_rate{scenario=\"buy\"}; OP < <= > >=; at most 50; default none", null)),
                    Map.entry("priority", new Field("which waiting test starts first when tests are queued", "NORMAL")),
                    Map.entry("generators", new Field("cluster nodes that apply the test together, 1..64 or \"all\" (every member "
                            + "when it starts): the plan is split exactly between them and their results merged exactly; "
                            + "more than 1 needs a cluster with that many members", 1)),
                    Map.entry("onNodeLoss", new Field("a distributed run whose generator leaves: abort ends it FAILED with what "
                            + "was merged, continue goes on without that share (see effectiveLoadFraction)", "abort")))),
            Map.entry("ScenarioDefinition", Map.of(
                    "name", new Field("unique in the test; shown in summary.scenarios", "scenario N"),
                    "weight", new Field("the scenario's share of iterations, 1..1000: weights 8 and 2 give exactly 8 and 2 "
                            + "in every 10 iterations", 1),
                    "steps", Field.of("run in order in each iteration that picks the scenario; 1..100 steps"))),
            Map.entry("StepDefinition", Map.of(
                    "name", new Field("unique in the test; shown in summary.steps, the timeline and the step metric label",
                            "the method and URL path"),
                    "request", Field.of("as the top-level request, with {{...}} templates in url, header values and body; "
                            + "the scheme, host and port must be literal or from variables"),
                    "capture", Field.of("values taken from the response for later steps of the scenario: jsonPath, header "
                            + "or regex (first group), with as; one that finds nothing ends the iteration"),
                    "checks", Field.of("assertions on the response, counted apart from request failures in summary.checks"),
                    "think", Field.of("a pause instead of a request, 1ms..1h; the next step is planned after it"))),
            Map.entry("CaptureDefinition", Map.of(
                    "jsonPath", Field.of("a dotted path with [n] indexes such as $.items[0].id, read by streaming the body"),
                    "header", Field.of("a response header's name (first value)"),
                    "regex", Field.of("a regular expression over the body; its first group is captured"),
                    "as", Field.of("the name later steps use as {{name}}; required"))),
            Map.entry("CheckDefinition", Map.of(
                    "status", Field.of("inclusive range [from, to] the status must be in; also the step's idea of success"),
                    "bodyContains", Field.of("a text the body must contain"),
                    "jsonPath", Field.of("a path such as $.status, with equals or exists"),
                    "equals", Field.of("with jsonPath: the value (string, number, boolean); with header: the text"),
                    "exists", Field.of("with jsonPath: whether the path must lead to a value"),
                    "header", Field.of("a response header's name, with equals or contains"),
                    "contains", Field.of("with header: a text its value must contain"),
                    "maxDuration", Field.of("the most the request's latency may be, such as 300ms"))),
            Map.entry("DataDefinition", Map.of(
                    "csv", Field.of("CSV text: the first line names the fields, each further line is a row (RFC 4180 quoting)"),
                    "rows", Field.of("instead of csv: objects with the same fields and scalar values"),
                    "order", new Field("sequence: iteration n takes row n mod rows (wrapping); random: each iteration draws one",
                            "sequence"))),
            Map.entry("RequestDefinition", Map.of(
                    "method", new Field("GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS", "GET"),
                    "url", Field.of("absolute http:// or https:// URL without credentials; its host must be allowed by "
                            + "barrage.targets.allow; required"),
                    "headers", new Field("extra request headers (at most 100; Host, User-Agent and Accept may be overridden; "
                            + "Content-Length, Transfer-Encoding and Connection are Barrage's); default none", null),
                    "body", Field.of("sent as UTF-8 with its Content-Length; at most 1,048,576 characters; none for HEAD"),
                    "timeout", new Field("bounds the whole exchange (connect, send, full response), 1ms..5m", "5s"),
                    "keepAlive", new Field("reuse one connection per virtual user or open-model worker; false opens one per request", true),
                    "insecureTls", new Field("accept any certificate (self-signed test environments)", false))),
            Map.entry("WorkloadDefinition", Map.of(
                    "model", new Field("closed: concurrency users, each waits for its response; open: requests start at rate "
                            + "per second whatever the target does", "closed"),
                    "concurrency", Field.of("closed model: virtual users, 1..10000 (required unless stages are given)"),
                    "rate", Field.of("open model: requests per second, up to 100000; fractions allowed "
                            + "(required unless stages are given)"),
                    "duration", Field.of("how long load is applied, 1s..1h; then no request starts (required unless stages)"),
                    "rampUp", new Field("a linear ramp from 0 to concurrency or rate before duration", "0s"),
                    "maxConcurrency", new Field("open model: requests in flight at most; a request due while all are busy "
                            + "starts late (delayed)", 10000),
                    "stages", Field.of("instead of concurrency/rate and duration: linear ramps from the previous target "
                            + "(0 first) to each stage's target, 1..100 stages"))),
            Map.entry("Stage", Map.of(
                    "duration", Field.of("length of this ramp, 1ms..1h; required"),
                    "target", Field.of("users (closed) or requests/s (open) reached at the end of the stage; required"))),
            Map.entry("RunResponse", Map.ofEntries(
                    Map.entry("id", Field.of("the run's id, also in the Location of POST /tests")),
                    Map.entry("name", Field.of("the definition's name")),
                    Map.entry("status", Field.of("QUEUED -> RUNNING -> COMPLETED | CANCELLED | FAILED (the engine itself "
                            + "failed, or the service stopped during the run); failing requests never fail a run")),
                    Map.entry("queuePosition", Field.of("QUEUED runs only: 1 starts next")),
                    Map.entry("createdAt", Field.of("when the test was submitted")),
                    Map.entry("startedAt", Field.of("when load started; null while QUEUED")),
                    Map.entry("finishedAt", Field.of("when the run ended; null until then")),
                    Map.entry("definition", Field.of("the definition as accepted, defaults filled in (left out of lists)")),
                    Map.entry("progress", Field.of("share of the planned duration done, 0..1: 1 once COMPLETED, what it "
                            + "covered when cancelled or failed")),
                    Map.entry("summary", Field.of("live while RUNNING (refreshed every second), final once the run ended")),
                    Map.entry("thresholds", Field.of("each criterion with its actual value and passed; null while no request "
                            + "has ended; a live preview until the run ends")),
                    Map.entry("warnings", Field.of("sentences to read before trusting the numbers; [] when there are none")),
                    Map.entry("verdict", Field.of("PENDING while QUEUED or RUNNING; then PASSED, FAILED (a threshold failed) "
                            + "or NONE (no thresholds)")),
                    Map.entry("failureReason", Field.of("FAILED runs only: why")),
                    Map.entry("distributed", Field.of("true for a run several cluster nodes apply; absent otherwise, as are "
                            + "coordinator, nodes, lastCompleteSecond and effectiveLoadFraction")),
                    Map.entry("coordinator", Field.of("the node (host:port of its cluster member) that coordinates the run; "
                            + "the oldest member left takes over when it is lost")),
                    Map.entry("nodes", Field.of("the run's generators in order: member, segment, status, startSkewMs, "
                            + "lastSecond, requests, lost")),
                    Map.entry("lastCompleteSecond", Field.of("the merged figures hold every generator's data up to this "
                            + "second of the run")),
                    Map.entry("effectiveLoadFraction", Field.of("once ended: the share of the planned load applied, "
                            + "each generator's part of the plan times the share of the duration it covered")))),
            Map.entry("NodeStatus", Map.of(
                    "member", Field.of("the node's cluster member address, host:port"),
                    "segment", Field.of("its part of the plan, from:to, such as 1/3:2/3"),
                    "status", Field.of("preparing, running, completed, cancelled, failed or lost"),
                    "startSkewMs", Field.of("how much later than the common start instant it started, by the cluster "
                            + "clock; null before it reported"),
                    "lastSecond", Field.of("the last second of the run it has reported"),
                    "requests", Field.of("the requests of its share reported so far"),
                    "lost", Field.of("whether it left the cluster before finishing its share"))),
            Map.entry("Summary", Map.ofEntries(
                    Map.entry("requests", Field.of("requests that started and ended: successes + failures, and the sum of "
                            + "statusCodes and errors")),
                    Map.entry("successes", Field.of("responses with a status in expectedStatus")),
                    Map.entry("failures", Field.of("other statuses and every transport error")),
                    Map.entry("errorRate", Field.of("failures / requests")),
                    Map.entry("throughput", Field.of("requests / elapsedSeconds")),
                    Map.entry("elapsedSeconds", Field.of("from the start until the last request ended")),
                    Map.entry("bytesReceived", Field.of("response bytes, heads and bodies")),
                    Map.entry("bytesSent", Field.of("request bytes, heads and bodies")),
                    Map.entry("latencyMs", Field.of("latency of all requests until the whole response was read; open model: "
                            + "from when each request was due")),
                    Map.entry("statusCodes", Field.of("responses by status code")),
                    Map.entry("errors", Field.of("transport failures by kind: TIMEOUT, CONNECTION_REFUSED, CONNECTION_RESET, "
                            + "CONNECTION_CLOSED, CONNECT_TIMEOUT, UNKNOWN_HOST, TLS, PROTOCOL, TARGET_NOT_ALLOWED, OTHER")),
                    Map.entry("serviceTimeMs", Field.of("open model: latency from the actual send")),
                    Map.entry("targetRate", Field.of("open model: the planned average rate")),
                    Map.entry("delayed", Field.of("open model: requests that started late because maxConcurrency requests "
                            + "were in flight")),
                    Map.entry("connectDelayed", Field.of("open model: requests that started late waiting for a new connection")),
                    Map.entry("dropped", Field.of("open model: requests (with scenarios: iterations) due before the end that "
                            + "could not start by then, so were not sent; requests (iterations.started) + dropped is the plan")),
                    Map.entry("iterations", Field.of("iterations of the scenarios: started = completed + aborted + interrupted")),
                    Map.entry("checks", Field.of("every check's passes and failures, and per check named \"<step>: <check>\"")),
                    Map.entry("scenarios", Field.of("per scenario: its requests, successes, failures, latency and checks")),
                    Map.entry("steps", Field.of("per request step (\"request\" for a single-request test): its requests, "
                            + "successes, failures, latency and checks")))),
            Map.entry("GroupSummary", Map.of(
                    "requests", Field.of("requests of the step or scenario that started and ended"),
                    "successes", Field.of("responses with a status in the step's status check, or expectedStatus"),
                    "failures", Field.of("other statuses and every transport error"),
                    "errorRate", Field.of("failures / requests"),
                    "throughput", Field.of("requests / the run's elapsedSeconds"),
                    "latencyMs", Field.of("latency of its requests; open model: the first step's from the iteration's due "
                            + "time, later steps' from their planned start"),
                    "statusCodes", Field.of("responses by status code"),
                    "errors", Field.of("transport failures by kind"),
                    "checks", Field.of("its checks (and captures) that passed and failed"))),
            Map.entry("Iterations", Map.of(
                    "started", Field.of("iterations begun"),
                    "completed", Field.of("iterations that ran every step"),
                    "aborted", Field.of("ended early because a capture found nothing"),
                    "interrupted", Field.of("ended early by the end of the duration or cancellation"))),
            Map.entry("Checks", Map.of(
                    "passed", Field.of("checks that held"),
                    "failed", Field.of("checks that did not (a failed request fails the checks on its response)"),
                    "byCheck", Field.of("per check, named \"<step>: <check>\", such as \"login: capture token\""))),
            Map.entry("CheckCounts", Map.of(
                    "passed", Field.of("checks that held"),
                    "failed", Field.of("checks that did not"))),
            Map.entry("StepPoint", Map.of(
                    "requests", Field.of("the step's requests that ended in the interval"),
                    "failures", Field.of("failures among them"),
                    "p50", Field.of("ms, of the interval's requests of the step"),
                    "p99", Field.of("ms, of the interval's requests of the step"))),
            Map.entry("LatencySummary", Map.of(
                    "min", Field.of("ms"), "mean", Field.of("ms"), "p50", Field.of("ms, median"), "p90", Field.of("ms"),
                    "p95", Field.of("ms"), "p99", Field.of("ms"), "p999", Field.of("ms, 99.9th percentile"),
                    "max", Field.of("ms"))),
            Map.entry("TimelinePoint", Map.ofEntries(
                    Map.entry("t", Field.of("end of the interval, whole seconds since the start")),
                    Map.entry("requests", Field.of("requests that ended in the interval")),
                    Map.entry("failures", Field.of("failures among them")),
                    Map.entry("throughput", Field.of("requests per second in the interval")),
                    Map.entry("p50", Field.of("ms, of the interval's requests")),
                    Map.entry("p90", Field.of("ms, of the interval's requests")),
                    Map.entry("p99", Field.of("ms, of the interval's requests")),
                    Map.entry("inFlight", Field.of("requests in flight when the interval closed")),
                    Map.entry("targetRate", Field.of("open model: the rate the plan asked for in the interval")),
                    Map.entry("delayed", Field.of("open model: requests of the interval held back by maxConcurrency")),
                    Map.entry("schedulerLagMs", Field.of("open model: the most a request with nothing holding it back was "
                            + "sent after it was due (the generator's own lateness)")),
                    Map.entry("connectDelayed", Field.of("open model: requests of the interval that waited for a new connection")),
                    Map.entry("dropped", Field.of("open model: requests that could not start before the duration ended")),
                    Map.entry("steps", Field.of("tests with scenarios: per step, its part of the interval")))),
            Map.entry("RunComparison", Map.of(
                    "a", Field.of("the baseline run: id, name, status, verdict, summary"),
                    "b", Field.of("the run compared with it"),
                    "changes", Field.of("per figure (requests, failures, errorRate, throughput, latencyMs.*): its value in a "
                            + "and b, change = b - a, relativeChange = (b - a) / a (null when a is 0)"),
                    "thresholdsOfAOnB", Field.of("a's thresholds judged on b's summary"))),
            Map.entry("Change", Map.of(
                    "figure", Field.of("the summary figure, such as latencyMs.p99"),
                    "a", Field.of("its value in a"),
                    "b", Field.of("its value in b"),
                    "change", Field.of("b - a"),
                    "relativeChange", Field.of("(b - a) / a; null when a is 0"))),
            Map.entry("Side", Map.of(
                    "id", Field.of("the run's id"),
                    "name", Field.of("the definition's name"),
                    "status", Field.of("the run's status"),
                    "verdict", Field.of("the run's verdict"),
                    "summary", Field.of("the run's summary"))),
            Map.entry("ThresholdResult", Map.of(
                    "expression", Field.of("the criterion as given"),
                    "actual", Field.of("the measured value (ms for latencies); null while no request has ended"),
                    "passed", Field.of("null while no request has ended; a live preview until the run ends"))));

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        schemas.remove("Generators"); // a number or "all", described on TestDefinition.generators
        FIELDS.forEach((schemaName, fields) -> {
            Schema<?> schema = schemas.get(schemaName);
            if (schema == null || schema.getProperties() == null) {
                return;
            }
            if (schemaName.equals("TestDefinition") && schema.getProperties().containsKey("generators")) {
                schema.getProperties().put("generators", new Schema<>().oneOf(java.util.List.of(
                        new io.swagger.v3.oas.models.media.IntegerSchema().minimum(java.math.BigDecimal.ONE)
                                .maximum(java.math.BigDecimal.valueOf(dev.barrage.runs.Generators.MAX)),
                        new io.swagger.v3.oas.models.media.StringSchema()._enum(java.util.List.of("all")))));
            }
            fields.forEach((property, field) -> {
                Schema found = schema.getProperties().get(property);
                if (found != null) {
                    found.setDescription(field.description());
                    if (field.defaultValue() != null) {
                        found.setDefault(field.defaultValue());
                    }
                }
            });
        });
    }
}
