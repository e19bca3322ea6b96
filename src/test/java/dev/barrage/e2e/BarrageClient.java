package dev.barrage.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a Barrage started on a random port the way a user's script would: HTTP and JSON. */
final class BarrageClient {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;

    BarrageClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** Starts a test and answers its id; fails unless the answer is 202 with a Location. */
    String start(String definition) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/tests", definition);
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        String id = json(response).get("id").asString();
        String location = response.headers().firstValue("Location").orElseThrow();
        if (!location.equals("/tests/" + id)) {
            throw new AssertionError("Location " + location + " does not name run " + id);
        }
        return id;
    }

    /** Polls GET /tests/{id} until its status is {@code wanted}, at most {@code within}. */
    JsonNode awaitStatus(String id, String wanted, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        JsonNode run;
        do {
            run = json(get("/tests/" + id));
            if (run.get("status").asString().equals(wanted)) {
                return run;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + id + " not " + wanted + " within " + within + ": " + run);
    }
}
