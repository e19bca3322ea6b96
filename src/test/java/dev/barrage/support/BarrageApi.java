package dev.barrage.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Barrage's REST API on a local port, called over real HTTP/1.1 the way a user's script would: the
 * one client every end-to-end test uses.
 *
 * <p>Redirects are not followed (a test sees exactly what Barrage answered), except by
 * {@link #getFollowingRedirects}. Each exchange is bounded: 5 s to connect, 20 s to answer, so a
 * hang fails the test instead of stalling the build. Every wait on a run is bounded by the caller's
 * {@code within} and fails with the run's last state.
 */
public final class BarrageApi {

    /** The states a run never leaves. */
    public static final Set<String> FINAL = Set.of("COMPLETED", "CANCELLED", "FAILED");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final HttpClient http = client(HttpClient.Redirect.NEVER);
    private final HttpClient following = client(HttpClient.Redirect.NORMAL);
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final String apiKey;

    public BarrageApi(int port) {
        this(port, null);
    }

    /** A client that sends {@code Authorization: Bearer <apiKey>} with every request (null: none). */
    public BarrageApi(int port, String apiKey) {
        this.base = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    /** This Barrage's address, such as {@code http://127.0.0.1:41234}: for a browser. */
    public String base() {
        return base;
    }

    private static HttpClient client(HttpClient.Redirect redirect) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(redirect).build();
    }

    // --- plain HTTP -------------------------------------------------------------------------------

    /** A request to {@code path} (with its query) on this Barrage, with the answer timeout set. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(ANSWER_TIMEOUT);
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    /** Sends a request made by {@link #request}, for tests that need other bodies or headers. */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return http.send(request.build(), body);
    }

    /** POSTs a JSON body. */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that follows redirects, as a browser would. */
    public HttpResponse<String> getFollowingRedirects(String path) throws IOException, InterruptedException {
        return following.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200; answers the body. */
    public String getOk(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": "
                    + shorten(response.body()));
        }
        return response.body();
    }

    /** A GET that must answer 200; answers the body as JSON. */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return json(getOk(path));
    }

    public JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public JsonNode json(String text) {
        return json.readTree(text);
    }

    // --- runs -------------------------------------------------------------------------------------

    /**
     * Starts a test and answers its id; fails unless the answer is 202 with an id and a Location
     * that names it.
     */
    public String start(String definition) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/tests", definition);
        if (response.statusCode() != 202) {
            throw new AssertionError("POST /tests of " + shorten(definition) + " answered " + response.statusCode()
                    + ", not 202: " + shorten(response.body()));
        }
        String id = json(response).path("id").asString();
        String location = response.headers().firstValue("Location").orElse(null);
        if (id == null || id.isBlank() || !("/tests/" + id).equals(location)) {
            throw new AssertionError("POST /tests answered 202 with id " + id + " and Location " + location
                    + ": " + shorten(response.body()));
        }
        return id;
    }

    /** POST /tests/{id}/cancel; the answer is the caller's to check. */
    public HttpResponse<String> cancel(String id) throws IOException, InterruptedException {
        return post("/tests/" + id + "/cancel", "");
    }

    /**
     * Polls GET /tests/{id} until {@code condition} holds for the run, at most {@code within};
     * answers the run. Fails, with the run's last state, when time is up or when the run is in a
     * final state that does not meet the condition (it never will).
     */
    public JsonNode awaitRun(String id, Predicate<JsonNode> condition, String what, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode run = getJson("/tests/" + id);
            if (condition.test(run)) {
                return run;
            }
            if (FINAL.contains(run.path("status").asString())) {
                throw new AssertionError("run " + id + " ended " + run.path("status").asString() + " without "
                        + what + ": " + run);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("run " + id + " not " + what + " within " + within + " (a hang?): " + run);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }

    /** Waits until the run's status is {@code wanted}, at most {@code within}; answers the run. */
    public JsonNode awaitStatus(String id, String wanted, Duration within) throws IOException, InterruptedException {
        return awaitRun(id, run -> run.path("status").asString().equals(wanted), wanted, within);
    }

    /** Waits until the run is in a final state, whichever, at most {@code within}; answers the run. */
    public JsonNode awaitEnd(String id, Duration within) throws IOException, InterruptedException {
        return awaitRun(id, run -> FINAL.contains(run.path("status").asString()), "ended", within);
    }

    /** The ids of the runs now RUNNING or QUEUED. */
    public List<String> unfinishedRunIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (String status : List.of("RUNNING", "QUEUED")) {
            getJson("/tests?limit=1000&status=" + status).forEach(run -> ids.add(run.get("id").asString()));
        }
        return ids;
    }

    /**
     * Cancels every run that is RUNNING or QUEUED (each cancel must answer 202, or 409 for a run that
     * ended meanwhile) until none is left, at most {@code within}: a shared application context
     * starts each test from an empty queue.
     */
    public void cancelUnfinishedRuns(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> left = unfinishedRunIds();
        while (!left.isEmpty()) {
            for (String id : left) {
                HttpResponse<String> cancel = cancel(id);
                if (cancel.statusCode() != 202 && cancel.statusCode() != 409) {
                    throw new AssertionError("cancel " + id + " answered " + cancel.statusCode() + ": "
                            + shorten(cancel.body()));
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("runs still RUNNING or QUEUED " + within + " after cancelling: " + left);
            }
            Thread.sleep(POLL_INTERVAL);
            left = unfinishedRunIds();
        }
    }

    /**
     * Waits until no run is RUNNING or QUEUED here, at most {@code within}: a cluster node ends a
     * distributed run (and frees its slot) when its own view of the run has ended, which may be a
     * moment after another node's.
     */
    public void awaitNoUnfinishedRuns(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> left = unfinishedRunIds();
        while (!left.isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("runs still RUNNING or QUEUED after " + within + ": " + left);
            }
            Thread.sleep(POLL_INTERVAL);
            left = unfinishedRunIds();
        }
    }

    // --- the service ------------------------------------------------------------------------------

    /** Fails unless /actuator/health answers 200 with status UP. */
    public void assertHealthy() throws IOException, InterruptedException {
        HttpResponse<String> health = get("/actuator/health");
        if (health.statusCode() != 200 || !"UP".equals(json(health).path("status").asString())) {
            throw new AssertionError("/actuator/health is not UP: " + health.statusCode() + " " + health.body());
        }
    }

    // --- definitions ------------------------------------------------------------------------------

    /** A closed-model definition: {@code concurrency} users for {@code duration} against {@code url}. */
    public static String closed(String url, int concurrency, String duration) {
        return """
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": %d, "duration": "%s"}}"""
                .formatted(url, concurrency, duration);
    }

    /** An open-model definition: {@code rate} requests a second for {@code duration} against {@code url}. */
    public static String open(String url, int rate, String duration) {
        return """
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": %d, "duration": "%s"}}"""
                .formatted(url, rate, duration);
    }

    /** A text cut to a readable length for a failure message. */
    private static String shorten(String text) {
        return text.length() <= 500 ? text : text.substring(0, 400) + "…(" + text.length() + " chars)…"
                + text.substring(text.length() - 80);
    }
}
