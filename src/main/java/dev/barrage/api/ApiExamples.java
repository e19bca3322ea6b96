package dev.barrage.api;

/** JSON examples shown in Swagger UI; kept apart so the controller stays readable. */
final class ApiExamples {

    private ApiExamples() {
    }

    static final String CLOSED_TEST = """
            {
              "name": "checkout smoke",
              "request": {
                "method": "GET",
                "url": "http://127.0.0.1:8081/api/items",
                "headers": { "Accept": "application/json" },
                "timeout": "5s",
                "keepAlive": true
              },
              "workload": { "model": "closed", "concurrency": 50, "duration": "10s" },
              "expectedStatus": [200, 399],
              "thresholds": ["p99 < 250ms", "error_rate < 0.01"]
            }""";

    static final String OPEN_TEST = """
            {
              "name": "steady 500/s",
              "request": { "url": "http://127.0.0.1:8081/api/items" },
              "workload": { "model": "open", "rate": 500, "duration": "60s", "maxConcurrency": 2000 },
              "thresholds": ["p99 < 250ms", "rps >= 450"]
            }""";

    static final String STAGED_TEST = """
            {
              "name": "ramp to 200 users",
              "request": { "url": "http://127.0.0.1:8081/api/items" },
              "workload": { "model": "closed", "stages": [
                { "duration": "30s", "target": 200 }, { "duration": "1m", "target": 200 }, { "duration": "10s", "target": 0 } ] }
            }""";

    /** The README's shop journey against bench/demo_target.py: 8 in 10 iterations browse, 2 buy. */
    static final String SHOP_TEST = """
            {
              "name": "shop",
              "variables": { "base": "http://127.0.0.1:8081" },
              "scenarios": [
                { "name": "browse", "weight": 8, "steps": [
                  { "name": "list items", "request": { "url": "{{base}}/items?page={{$randomInt(1,50)}}" },
                    "checks": [ { "status": [200, 200] }, { "jsonPath": "$.items[0].id", "exists": true } ] } ] },
                { "name": "buy", "weight": 2, "steps": [
                  { "name": "login",
                    "request": { "method": "POST", "url": "{{base}}/login", "headers": { "Content-Type": "application/json" },
                                 "body": "{\\"email\\": \\"user{{$vu}}@example.test\\", \\"password\\": \\"secret\\"}" },
                    "capture": [ { "jsonPath": "$.token", "as": "token" } ] },
                  { "name": "order",
                    "request": { "method": "POST", "url": "{{base}}/orders", "body": "{\\"qty\\": 1}",
                                 "headers": { "Authorization": "Bearer {{token}}", "Idempotency-Key": "{{$uuid}}" } },
                    "capture": [ { "jsonPath": "$.id", "as": "orderId" } ],
                    "checks": [ { "status": [201, 201] } ] },
                  { "think": "100ms" },
                  { "name": "order status", "request": { "url": "{{base}}/orders/{{orderId}}" },
                    "checks": [ { "jsonPath": "$.status", "equals": "NEW" } ] } ] }
              ],
              "workload": { "model": "closed", "concurrency": 10, "duration": "10s" },
              "thresholds": [ "checks >= 0.99", "error_rate{scenario=\\"buy\\"} < 0.01" ]
            }""";

    /** The request and workload of the example run, as its definition shows them back. */
    private static final String CHECKOUT_REQUEST_AND_WORKLOAD = """
            "request": { "method": "GET", "url": "http://127.0.0.1:8081/api/items",
                         "headers": { "Accept": "application/json" }, "body": null,
                         "timeout": "5s", "keepAlive": true, "insecureTls": false },
            "workload": { "model": "closed", "concurrency": 50, "rate": null, "duration": "10s",
                          "rampUp": "0s", "maxConcurrency": null, "stages": null },
            """;

    static final String RUN = """
            {
              "id": "5f0c1e7a9b2d",
              "name": "checkout smoke",
              "status": "COMPLETED",
              "createdAt": "2026-11-28T10:00:00Z",
              "startedAt": "2026-11-28T10:00:00.012Z",
              "finishedAt": "2026-11-28T10:00:10.020Z",
              "definition": {
                "name": "checkout smoke",
            """ + CHECKOUT_REQUEST_AND_WORKLOAD + """
                "expectedStatus": [200, 399], "thresholds": [], "priority": "NORMAL"
              },
              "progress": 1.0,
              "summary": {
                "requests": 273842, "successes": 273842, "failures": 0, "errorRate": 0.0,
                "throughput": 27377.453, "elapsedSeconds": 10.002, "bytesReceived": 18347414, "bytesSent": 20264308,
                "latencyMs": { "min": 0.036, "mean": 1.825, "p50": 1.322, "p90": 2.827, "p95": 3.853,
                               "p99": 6.643, "p999": 30.447, "max": 183.295 },
                "statusCodes": { "200": 273842 },
                "errors": {}
              },
              "thresholds": [],
              "warnings": [],
              "verdict": "NONE"
            }""";

    static final String INVALID = """
            {
              "type": "https://barrage.dev/problems/invalid-definition",
              "title": "Invalid test definition",
              "status": 400,
              "detail": "workload.concurrency: must be less than or equal to 10000",
              "instance": "/tests",
              "errors": [ { "field": "workload.concurrency", "message": "must be less than or equal to 10000" } ]
            }""";

    static final String NOT_FOUND = """
            {
              "type": "https://barrage.dev/problems/run-not-found",
              "title": "Test run not found",
              "status": 404,
              "detail": "No test run with id 'abc'. Runs are kept in memory; the oldest finished ones are evicted after the retention limit.",
              "instance": "/tests/abc"
            }""";

    static final String ALREADY_FINISHED = """
            {
              "type": "https://barrage.dev/problems/run-already-finished",
              "title": "Test run already finished",
              "status": 409,
              "detail": "Test run '5f0c1e7a9b2d' has already ended as COMPLETED; only QUEUED or RUNNING runs can be cancelled.",
              "instance": "/tests/5f0c1e7a9b2d/cancel"
            }""";

    static final String LIST = """
            [ { "id": "5f0c1e7a9b2d", "name": "checkout smoke", "status": "RUNNING",
                "createdAt": "2026-11-28T10:00:00Z", "startedAt": "2026-11-28T10:00:00.012Z", "finishedAt": null,
                "progress": 0.42,
                "summary": { "requests": 17320, "successes": 17320, "failures": 0, "errorRate": 0.0,
                             "throughput": 4122.9, "elapsedSeconds": 4.201, "bytesReceived": 3464000, "bytesSent": 1385600,
                             "latencyMs": { "min": 0.21, "mean": 1.9, "p50": 1.7, "p90": 2.9, "p95": 3.4,
                                            "p99": 6.1, "p999": 12.8, "max": 41.0 },
                             "statusCodes": { "200": 17320 }, "errors": {} },
                "thresholds": [], "warnings": [], "verdict": "PENDING" } ]""";

    static final String INVALID_PARAMETER = """
            {
              "type": "https://barrage.dev/problems/invalid-parameter",
              "title": "Invalid request parameter",
              "status": 400,
              "detail": "status: must be one of QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED",
              "instance": "/tests",
              "errors": [ { "field": "status", "message": "must be one of QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED" } ]
            }""";

    static final String STARTED = """
            {
              "id": "5f0c1e7a9b2d",
              "name": "checkout smoke",
              "status": "RUNNING",
              "createdAt": "2026-11-28T10:00:00Z",
              "startedAt": "2026-11-28T10:00:00.012Z",
              "finishedAt": null,
              "definition": {
                "name": "checkout smoke",
            """ + CHECKOUT_REQUEST_AND_WORKLOAD + """
                "expectedStatus": [200, 399], "thresholds": ["p99 < 250ms"], "priority": "NORMAL"
              },
              "progress": 0.0,
              "summary": {
                "requests": 0, "successes": 0, "failures": 0, "errorRate": 0.0,
                "throughput": 0.0, "elapsedSeconds": 0.0, "bytesReceived": 0, "bytesSent": 0,
                "latencyMs": { "min": 0.0, "mean": 0.0, "p50": 0.0, "p90": 0.0, "p95": 0.0,
                               "p99": 0.0, "p999": 0.0, "max": 0.0 },
                "statusCodes": {},
                "errors": {}
              },
              "thresholds": [ { "expression": "p99 < 250ms", "actual": null, "passed": null } ],
              "warnings": [],
              "verdict": "PENDING"
            }""";

    static final String UNAUTHORIZED = """
            {
              "type": "https://barrage.dev/problems/unauthorized",
              "title": "API key required",
              "status": 401,
              "detail": "Send the API key as 'Authorization: Bearer <key>' (barrage.security.api-key is set on this server).",
              "instance": "/tests"
            }""";

    static final String TARGET_REFUSED = """
            {
              "type": "https://barrage.dev/problems/target-not-allowed",
              "title": "Target not allowed",
              "status": 403,
              "detail": "Sending load to staging.example.com (10.20.0.5) is not allowed here. Add the host, a *.wildcard of its domain or its network (CIDR) to the setting barrage.targets.allow (by default only localhost, 127.0.0.0/8 and ::1).",
              "instance": "/tests"
            }""";

    static final String QUEUE_FULL = """
            {
              "type": "https://barrage.dev/problems/queue-full",
              "title": "Too many queued tests",
              "status": 429,
              "detail": "The queue is full: 20 runs are already waiting (barrage.limits.max-queued). Retry after about 42 s, when the next running test is planned to end.",
              "instance": "/tests"
            }""";

    static final String TIMELINE = """
            [ { "t": 1, "requests": 4100, "failures": 0, "throughput": 4100.0, "p50": 1.7, "p90": 3.1, "p99": 5.9, "inFlight": 50 },
              { "t": 2, "requests": 4150, "failures": 1, "throughput": 4150.0, "p50": 1.7, "p90": 3.2, "p99": 6.2, "inFlight": 50 } ]""";
}
