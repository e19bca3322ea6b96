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

    private static final Map<String, Map<String, Field>> FIELDS = Map.of(
            "TestDefinition", Map.of(
                    "name", new Field("shown in lists; up to 200 characters", "the method and URL"),
                    "request", Field.of("the HTTP request every virtual user (or open-model arrival) sends; required"),
                    "workload", Field.of("how load is applied: the closed or open model, its size and its length; required"),
                    "expectedStatus", new Field("inclusive range [from, to] of status codes that count as success; "
                            + "anything else, and every transport error, is a failure; default [200, 399]", null),
                    "thresholds", new Field("pass/fail criteria METRIC OP VALUE: METRIC one of p50 p90 p95 p99 p999 max mean "
                            + "(VALUE a duration), error_rate, rps (VALUE a number); OP < <= > >=; at most 50; default none", null),
                    "priority", new Field("which waiting test starts first when tests are queued", "NORMAL")),
            "RequestDefinition", Map.of(
                    "method", new Field("GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS", "GET"),
                    "url", Field.of("absolute http:// or https:// URL without credentials; its host must be allowed by "
                            + "barrage.targets.allow; required"),
                    "headers", new Field("extra request headers (at most 100; Host, User-Agent and Accept may be overridden; "
                            + "Content-Length, Transfer-Encoding and Connection are Barrage's); default none", null),
                    "body", Field.of("sent as UTF-8 with its Content-Length; at most 1,048,576 characters; none for HEAD"),
                    "timeout", new Field("bounds the whole exchange (connect, send, full response), 1ms..5m", "5s"),
                    "keepAlive", new Field("reuse one connection per virtual user or open-model worker; false opens one per request", true),
                    "insecureTls", new Field("accept any certificate (self-signed test environments)", false)),
            "WorkloadDefinition", Map.of(
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
                            + "(0 first) to each stage's target, 1..100 stages")),
            "Stage", Map.of(
                    "duration", Field.of("length of this ramp, 1ms..1h; required"),
                    "target", Field.of("users (closed) or requests/s (open) reached at the end of the stage; required")),
            "RunResponse", Map.ofEntries(
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
                    Map.entry("failureReason", Field.of("FAILED runs only: why"))),
            "Summary", Map.ofEntries(
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
                    Map.entry("dropped", Field.of("open model: requests due before the end that could not start by then, so "
                            + "were not sent; requests + dropped is the plan"))),
            "LatencySummary", Map.of(
                    "min", Field.of("ms"), "mean", Field.of("ms"), "p50", Field.of("ms, median"), "p90", Field.of("ms"),
                    "p95", Field.of("ms"), "p99", Field.of("ms"), "p999", Field.of("ms, 99.9th percentile"),
                    "max", Field.of("ms")),
            "TimelinePoint", Map.ofEntries(
                    Map.entry("t", Field.of("end of the interval, whole seconds since the start")),
                    Map.entry("requests", Field.of("requests that ended in the interval")),
                    Map.entry("failures", Field.of("failures among them")),
                    Map.entry("throughput", Field.of("requests per second in the interval")),
                    Map.entry("p50", Field.of("ms, of the interval's requests")),
                    Map.entry("p99", Field.of("ms, of the interval's requests")),
                    Map.entry("inFlight", Field.of("requests in flight when the interval closed")),
                    Map.entry("targetRate", Field.of("open model: the rate the plan asked for in the interval")),
                    Map.entry("delayed", Field.of("open model: requests of the interval held back by maxConcurrency")),
                    Map.entry("schedulerLagMs", Field.of("open model: the most a request with nothing holding it back was "
                            + "sent after it was due (the generator's own lateness)")),
                    Map.entry("connectDelayed", Field.of("open model: requests of the interval that waited for a new connection")),
                    Map.entry("dropped", Field.of("open model: requests that could not start before the duration ended"))),
            "ThresholdResult", Map.of(
                    "expression", Field.of("the criterion as given"),
                    "actual", Field.of("the measured value (ms for latencies); null while no request has ended"),
                    "passed", Field.of("null while no request has ended; a live preview until the run ends")));

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        FIELDS.forEach((schemaName, fields) -> {
            Schema<?> schema = schemas.get(schemaName);
            if (schema == null || schema.getProperties() == null) {
                return;
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
