package dev.barrage.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Barrage's REST API over real HTTP, as a user's script would call it. */
final class Api {

    private static final Set<String> FINAL = Set.of("COMPLETED", "CANCELLED", "FAILED");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String body) {
        return json.readTree(body);
    }

    /** Starts a run; fails unless the answer is 202. */
    String start(String definition) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/tests", definition);
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202 for " + definition + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        return json(response.body()).get("id").asString();
    }

    /** Polls until the run is in a final state, at most {@code within}; answers the run. */
    JsonNode awaitEnd(String id, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode run;
        do {
            run = json(get("/tests/" + id).body());
            if (FINAL.contains(run.get("status").asString())) {
                return run;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + id + " did not end within " + within + " (a hang?): " + run);
    }

    void assertHealthy() throws IOException, InterruptedException {
        HttpResponse<String> health = get("/actuator/health");
        if (health.statusCode() != 200 || !"UP".equals(json(health.body()).get("status").asString())) {
            throw new AssertionError("/actuator/health is not UP: " + health.statusCode() + " " + health.body());
        }
    }
}
