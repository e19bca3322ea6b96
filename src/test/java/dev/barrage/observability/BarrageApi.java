package dev.barrage.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Barrage's REST API on a random port, as a user's script would use it. */
final class BarrageApi {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    BarrageApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Starts a test and answers its id. */
    String start(String definition) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/tests"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(definition)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("POST /tests answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).get("id").asString();
    }

    /** Polls GET /tests/{id} until it is COMPLETED, at most {@code within}. */
    JsonNode awaitCompleted(String id, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        JsonNode run;
        do {
            run = json.readTree(get("/tests/" + id));
            if (run.get("status").asString().equals("COMPLETED")) {
                return run;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + id + " not COMPLETED within " + within + ": " + run);
    }

    static String closed(String url, int users, String duration) {
        return """
                {"request": {"url": "%s"}, "workload": {"model": "closed", "concurrency": %d, "duration": "%s"}}"""
                .formatted(url, users, duration);
    }

    static String open(String url, int rate, String duration) {
        return """
                {"request": {"url": "%s"}, "workload": {"model": "open", "rate": %d, "duration": "%s"}}"""
                .formatted(url, rate, duration);
    }
}
