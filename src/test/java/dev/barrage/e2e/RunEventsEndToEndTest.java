package dev.barrage.e2e;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** GET /tests/{id}/events: snapshots while the run goes on, then its end, read as a browser would. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunEventsEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage();

    private BarrageApi barrage;
    private CountingTarget target;

    /** One server-sent event: its name and data. */
    private record Event(String name, String data) {
    }

    @BeforeEach
    void start() throws Exception {
        barrage = live.api();
        target = live.target();
    }

    @Test
    void aRunningTestStreamsASnapshotEverySecondAndThenItsEnd() throws Exception {
        String id = barrage.start(closed(target.url(), 2, "3s"));

        List<Event> events = read(id);

        assertThat(events.getLast()).isEqualTo(new Event("end", "COMPLETED"));
        List<JsonNode> snapshots = events.stream().filter(event -> event.name().equals("snapshot"))
                .map(event -> barrage.json(event.data())).toList();
        assertThat(snapshots.size()).isBetween(3, 8); // about one per published second, plus the first and the last
        JsonNode last = snapshots.getLast();
        assertThat(last.at("/run/status").asString()).isEqualTo("COMPLETED");
        assertThat(last.at("/run/definition").isMissingNode()).isTrue();
        assertThat(last.at("/run/summary/requests").asLong()).isEqualTo(target.received());
        assertThat(last.at("/latest/t").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(snapshots.stream().anyMatch(snapshot -> snapshot.at("/run/status").asString().equals("RUNNING"))).isTrue();
        // every timeline point arrives once, in order, even when two were published between two looks
        long pointRequests = 0;
        long lastT = 0;
        for (JsonNode snapshot : snapshots) {
            for (JsonNode point : snapshot.get("points")) {
                assertThat(point.get("t").asLong()).isGreaterThan(lastT);
                lastT = point.get("t").asLong();
                pointRequests += point.get("requests").asLong();
            }
        }
        assertThat(pointRequests).isEqualTo(target.received());
        assertThat(lastT).isEqualTo(last.at("/latest/t").asLong());
        long previous = -1;
        for (JsonNode snapshot : snapshots) { // counts only grow
            long requests = snapshot.at("/run/summary/requests").asLong();
            assertThat(requests).isGreaterThanOrEqualTo(previous);
            previous = requests;
        }
    }

    @Test
    void anEndedRunStreamsItsFinalSnapshotAndEndsAtOnce() throws Exception {
        String id = barrage.start(closed(target.url(), 1, "1s"));
        barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        List<Event> events = read(id);

        assertThat(events).hasSize(2);
        assertThat(events.getFirst().name()).isEqualTo("snapshot");
        assertThat(barrage.json(events.getFirst().data()).at("/run/status").asString()).isEqualTo("COMPLETED");
        assertThat(events.getLast()).isEqualTo(new Event("end", "COMPLETED"));
    }

    @Test
    void anUnknownRunIsA404() throws Exception {
        HttpResponse<String> answer = barrage.send(barrage.request("/tests/nope/events").header("Accept", "text/event-stream"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
    }

    /** Reads the stream to its end (bounded by the run limit), as a browser's EventSource would. */
    private List<Event> read(String id) throws Exception {
        HttpResponse<Stream<String>> answer = barrage.send(
                barrage.request("/tests/" + id + "/events").header("Accept", "text/event-stream"),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        try (Stream<String> lines = answer.body()) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) lines::iterator) {
                assertThat(System.nanoTime()).as("the stream should have ended").isLessThan(deadline);
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    events.add(new Event(name, data.toString()));
                    name = "message";
                    data.setLength(0);
                }
            }
        }
        return events;
    }
}
