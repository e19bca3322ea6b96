package dev.barrage.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.Summaries;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Thousands of generated test definitions, mostly broken, posted to POST /tests: every answer must
 * be a 2xx or a 4xx problem (never a 5xx, never a stack trace), and Barrage must stay healthy and
 * able to run a normal test afterwards. The limits are tiny so a mutation that happens to be valid
 * only starts a short, gentle run against a local target.
 *
 * <p>Reproducible: the seed is printed; rerun with {@code -Dbarrage.fuzz.seed=S} (all cases) and
 * {@code -Dbarrage.fuzz.case=N} (one case). {@code -Dbarrage.fuzz.cases} changes the count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "barrage.limits.max-duration=2s", "barrage.limits.max-concurrency=2", "barrage.limits.max-rate=50",
        "barrage.limits.max-running=1", "barrage.limits.max-queued=2"})
class MalformedDefinitionsTest {

    private static final int DEFAULT_CASES = 3000;
    /** Stop generating after this long so the class stays within its time budget on a slow machine. */
    private static final Duration BUDGET = Duration.ofSeconds(35);
    private static final List<String> LEAKS = List.of("at dev.", "Exception:", "\tat ", "java.lang.", "tools.jackson",
            "org.springframework", "jakarta.validation", "org.hibernate", "dev.barrage.");

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();
    private BarrageApi barrage;
    private CountingTarget target;

    /** A harmless target: answers 200 after 50 ms (its think time), so a valid run sends few requests. */
    @BeforeEach
    void startTarget() throws Exception {
        barrage = new BarrageApi(port);
        target = new CountingTarget(200, "ok".getBytes(StandardCharsets.US_ASCII), Duration.ofMillis(50));
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    @Test
    void everyMalformedDefinitionIsA4xxProblemAndBarrageStaysHealthy() throws Exception {
        long seed = Long.getLong("barrage.fuzz.seed", new SplittableRandom().nextLong());
        int cases = Integer.getInteger("barrage.fuzz.cases", DEFAULT_CASES);
        Integer only = Integer.getInteger("barrage.fuzz.case");
        String reproduce = "-Dbarrage.fuzz.seed=" + seed;
        System.out.println("MalformedDefinitionsTest: seed " + seed + " (reproduce with " + reproduce + ")");

        DefinitionMutator mutator = new DefinitionMutator(target.port());
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, String> accepted = new LinkedHashMap<>(); // run id -> the input that started it
        long budgetEnd = System.nanoTime() + Duration.ofSeconds(Long.getLong("barrage.fuzz.budget-seconds",
                BUDGET.toSeconds())).toNanos();
        int ran = 0;
        for (int index = only == null ? 0 : only; index < (only == null ? cases : only + 1); index++) {
            if (System.nanoTime() > budgetEnd) {
                break;
            }
            DefinitionMutator.Case input = mutator.generate(DefinitionMutator.randomFor(seed, index));
            ran++;
            HttpResponse<byte[]> response;
            try {
                response = post(input);
            } catch (java.net.http.HttpTimeoutException e) {
                failures.add(describe(index, input, "no answer within 20 s (a hang?)", null));
                continue;
            } catch (java.io.IOException e) {
                failures.add(describe(index, input, "the answer broke off: " + e, null));
                continue;
            }
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String problem = check(response);
            if (problem != null) {
                failures.add(describe(index, input, problem, response));
            } else if (response.statusCode() == 202) {
                accepted.put(json.readTree(response.body()).get("id").asString(), describe(index, input, "", null));
            }
        }
        System.out.printf("MalformedDefinitionsTest: %d cases, answers by status %s, %d failures, seed %d%n",
                ran, statuses, failures.size(), seed);
        failures.stream().limit(20).forEach(failure -> System.out.println("FUZZ FAILURE " + failure));

        // Every run the fuzzer started can be read back, and its timeline too.
        for (String id : accepted.keySet()) {
            for (String path : List.of("/tests/" + id, "/tests/" + id + "/timeline")) {
                HttpResponse<byte[]> read = get(path);
                if (read.statusCode() != 200 || leak(read) != null) {
                    failures.add("GET " + path + " of an accepted run answered " + read.statusCode() + ": "
                            + DefinitionMutator.shorten(new String(read.body(), StandardCharsets.UTF_8)));
                } else {
                    try { // with a JSON reader's default limits (Jackson's: keys of at most 50,000 characters)
                        json.readTree(read.body());
                    } catch (RuntimeException e) {
                        failures.add("GET " + path + " of an accepted run is JSON a default reader refuses: " + e.getMessage());
                    }
                }
            }
        }
        HttpResponse<byte[]> list = get("/tests?limit=1000");
        if (list.statusCode() != 200 || !json.readTree(list.body()).isArray()) {
            failures.add("GET /tests?limit=1000 answered " + list.statusCode() + ": "
                    + DefinitionMutator.shorten(new String(list.body(), StandardCharsets.UTF_8)));
        }

        barrage.cancelUnfinishedRuns(Duration.ofSeconds(15));
        // A valid definition must never make the engine itself fail.
        for (Map.Entry<String, String> run : accepted.entrySet()) {
            JsonNode state = json.readTree(get("/tests/" + run.getKey()).body());
            String status = state.path("status").asString();
            JsonNode summary = state.path("summary");
            if (!Set.of("COMPLETED", "CANCELLED").contains(status)) {
                failures.add("run " + run.getKey() + " ended " + status + " (" + state.path("failureReason") + ") for "
                        + run.getValue());
            } else if (Summaries.countsProblem(summary) != null) {
                failures.add("run " + run.getKey() + ": " + Summaries.countsProblem(summary) + " for " + run.getValue());
            }
        }
        barrage.assertHealthy();
        assertANormalRunStillCompletes();

        assertThat(failures).as("%d of %d generated inputs were mishandled (seed %d, reproduce with %s "
                        + "-Dbarrage.fuzz.case=N); the first:%n%s", failures.size(), ran, seed, reproduce,
                String.join("\n", failures.subList(0, Math.min(5, failures.size())))).isEmpty();
        assertThat(ran).as("cases run within the time budget").isGreaterThanOrEqualTo(only == null ? 300 : 1);
    }

    /**
     * Inputs the fuzzer found mishandled, kept as fixed cases so they fail whatever the seed. Each
     * must be a 4xx problem like any other invalid definition.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("knownMishandledInputs")
    void inputsOnceMishandledAreA4xxProblem(String name, String contentType, String body) throws Exception {
        String definition = body.replace("TARGET", "http://127.0.0.1:" + target.port() + "/");
        HttpResponse<byte[]> response = post(new DefinitionMutator.Case(definition.getBytes(StandardCharsets.UTF_8),
                contentType, name));
        assertThat(check(response)).as("%s: answer %d %s", name, response.statusCode(),
                DefinitionMutator.shorten(new String(response.body(), StandardCharsets.UTF_8))).isNull();
        assertThat(response.statusCode()).isBetween(400, 499);
    }

    static Stream<Arguments> knownMishandledInputs() {
        String valid = "{\"request\": {\"url\": \"TARGET\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}";
        return Stream.of(
                // Threshold.millis: Duration.toNanos() overflows (ArithmeticException) for ISO durations over ~292 years
                Arguments.of("latency threshold PT3000000H", "application/json",
                        valid + ", \"thresholds\": [\"p99 < PT3000000H\"]}"),
                Arguments.of("latency threshold P99999999999D", "application/json",
                        valid + ", \"thresholds\": [\"mean < P99999999999D\"]}"),
                Arguments.of("latency threshold PT9223372036854775807S", "application/json",
                        valid + ", \"thresholds\": [\"max <= PT9223372036854775807S\"]}"),
                // MultipartException (no boundary / not multipart) falls through to the catch-all handler
                Arguments.of("multipart/form-data content type", "multipart/form-data", valid + "}"),
                Arguments.of("multipart/form-data with a boundary", "multipart/form-data; boundary=xyz", valid + "}"),
                Arguments.of("multipart/mixed content type", "multipart/mixed", valid + "}"));
    }

    /**
     * A definition over 2 MB that is refused at its first field (so the rest is never read) must
     * still get its 4xx answer, not a connection reset that swallows it.
     */
    @Test
    void aLargeDefinitionRefusedAtItsFirstFieldStillGetsItsProblemAnswer() throws Exception {
        String definition = "{\"workload\": {\"model\": \"bogus\", \"concurrency\": 1, \"duration\": \"1s\"}, "
                + "\"request\": {\"url\": \"http://127.0.0.1:9/\", \"body\": \"" + "b".repeat(900_000) + "\"}, "
                + "\"name\": \"" + "n".repeat(20_000_000) + "\"}";
        List<String> broken = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpResponse<byte[]> response = post(new DefinitionMutator.Case(
                        definition.getBytes(StandardCharsets.UTF_8), "application/json", "large"));
                String problem = check(response);
                if (problem != null || response.statusCode() < 400) {
                    broken.add("attempt " + attempt + ": " + (problem == null ? "answered " + response.statusCode() : problem));
                }
            } catch (java.io.IOException e) {
                broken.add("attempt " + attempt + ": the answer broke off: " + e);
            }
        }
        assertThat(broken).as("a 21 MB definition with an invalid workload.model, posted 3 times").isEmpty();
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private String check(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String leak = leak(response);
        if (status >= 500) {
            return "answered " + status + (leak == null ? "" : " and leaked '" + leak + "'");
        }
        if (status < 200 || (status >= 300 && status < 400)) {
            return "answered " + status + ", neither 2xx nor 4xx";
        }
        if (leak != null) {
            return "answer " + status + " leaks internals ('" + leak + "')";
        }
        if (status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                return "answered " + status + " with Content-Type '" + type + "', not application/problem+json";
            }
            JsonNode body;
            try {
                body = json.readTree(response.body());
            } catch (RuntimeException e) {
                return "answered " + status + " with a body that is not JSON";
            }
            for (String field : List.of("type", "title", "detail")) {
                if (body == null || !body.path(field).isString() || body.path(field).asString().isBlank()) {
                    return "answered " + status + " without a '" + field + "' in the problem";
                }
            }
            if (!body.path("status").isInt() || body.path("status").asInt() != status) {
                return "answered " + status + " but the problem's status is " + body.path("status");
            }
            if (status == 429 && response.headers().firstValue("Retry-After").isEmpty()) {
                return "answered 429 without Retry-After";
            }
        } else if (status == 202) {
            JsonNode body = json.readTree(response.body());
            if (body == null || !body.path("id").isString()
                    || !response.headers().firstValue("Location").orElse("").equals("/tests/" + body.path("id").asString())) {
                return "answered 202 without an id and a matching Location";
            }
        } else {
            return "answered " + status + ", expected 202 for a valid definition";
        }
        return null;
    }

    private static String leak(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        for (String marker : LEAKS) {
            if (body.contains(marker)) {
                return marker;
            }
        }
        return null;
    }

    private static String describe(int index, DefinitionMutator.Case input, String problem, HttpResponse<byte[]> response) {
        String sent = DefinitionMutator.shorten(new String(input.body(), StandardCharsets.UTF_8));
        String answer = response == null ? "" : " | answer: "
                + DefinitionMutator.shorten(new String(response.body(), StandardCharsets.UTF_8));
        return "case " + index + " [" + input.recipe() + "] " + problem + " | Content-Type: " + input.contentType()
                + " | body: " + sent + answer;
    }

    /** The input as it is, whatever its body and Content-Type, answered as bytes. */
    private HttpResponse<byte[]> post(DefinitionMutator.Case input) throws Exception {
        HttpRequest.Builder request = barrage.request("/tests").POST(HttpRequest.BodyPublishers.ofByteArray(input.body()));
        if (input.contentType() != null) {
            request.header("Content-Type", input.contentType());
        }
        return barrage.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return barrage.send(barrage.request(path).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertANormalRunStillCompletes() throws Exception {
        String id = barrage.start("""
                {"name": "after the fuzz", "request": {"url": "http://127.0.0.1:%d/ok", "timeout": "1s"},
                 "workload": {"model": "closed", "concurrency": 1, "duration": "1s"}}"""
                .formatted(target.port()));
        JsonNode run = barrage.awaitEnd(id, Duration.ofSeconds(15));
        assertThat(run.get("status").asString()).as("the normal run after the fuzz: %s", run).isEqualTo("COMPLETED");
        JsonNode summary = run.get("summary");
        assertThat(summary.get("successes").asLong()).as("%s", summary).isPositive();
        assertThat(summary.get("failures").asLong()).as("%s", summary).isZero();
        Summaries.assertCountsAddUp(summary);
    }
}
