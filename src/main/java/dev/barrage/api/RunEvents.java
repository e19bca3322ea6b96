package dev.barrage.api;

import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunState;
import dev.barrage.runs.RunStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent events of runs (GET /tests/{id}/events): a {@code snapshot} event each time the run's
 * published state changes (the run without its definition, with the newest timeline point), then
 * one {@code end} event once it has ended. Each stream is served by its own virtual thread that only
 * reads the run's published state a few times a second: nothing on the request path or the
 * aggregation lane waits for a slow client. Streams are bounded in number.
 *
 * <p>Thread-safety: thread-safe; each emitter is written by its own thread only.
 */
@Component
class RunEvents {

    /** Streams open at once across all runs; more are refused (429). */
    static final int MAX_STREAMS = 256;
    private static final Duration LOOK_EVERY = Duration.ofMillis(200);
    /** A comment this often, so a stream of a queued run notices a client that has gone. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final RunService runs;
    private final JsonMapper json;
    private final AtomicInteger open = new AtomicInteger();
    /** Per run, the last snapshot written as JSON: its streams share one serialization per second. */
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    /** A run's state as JSON, and the state it was written from. */
    private record Written(RunState state, String runJson) {
    }

    RunEvents(RunService runs, JsonMapper json) {
        this.runs = runs;
        this.json = json;
    }

    /** A stream of the run's snapshots; its thread ends with the run or when the client goes. */
    SseEmitter stream(Run run) {
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            throw new TooManyStreamsException(MAX_STREAMS);
        }
        SseEmitter emitter = new SseEmitter(0L); // no timeout: a run lasts up to an hour, plus its queue
        try {
            Thread.ofVirtual().name("barrage-events-" + run.id()).start(() -> follow(run, emitter));
        } catch (RuntimeException | Error e) {
            open.decrementAndGet();
            throw e;
        }
        return emitter;
    }

    private void follow(Run run, SseEmitter emitter) {
        try {
            RunSnapshot sent = null;
            int pointsSent = 0;
            RunState state;
            long lastWrite = System.nanoTime();
            while (true) {
                state = run.state();
                if (state.snapshot() != sent || state.status().isFinal()) {
                    List<TimelinePoint> timeline = state.snapshot().timeline();
                    List<TimelinePoint> points = timeline.subList(Math.min(pointsSent, timeline.size()), timeline.size());
                    emitter.send(SseEmitter.event().name("snapshot").data(eventJson(run, state, timeline, points)));
                    sent = state.snapshot();
                    pointsSent += points.size();
                    lastWrite = System.nanoTime();
                }
                if (state.status().isFinal()) {
                    written.remove(run.id());
                    emitter.send(SseEmitter.event().name("end").data(state.status().name()));
                    emitter.complete();
                    return;
                }
                if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
                    emitter.send(SseEmitter.event().comment("waiting"));
                    lastWrite = System.nanoTime();
                }
                Thread.sleep(LOOK_EVERY);
            }
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e); // the client went away
        } catch (InterruptedException e) {
            emitter.complete();
        } finally {
            open.decrementAndGet();
        }
    }

    /**
     * One {@code snapshot} event's data: {@code {"run": ..., "latest": ..., "points": [...]}}, the run
     * as GET /tests lists it (written once per published state and shared by the run's streams), its
     * newest timeline point, and the points this stream has not sent yet: a stream that looks five
     * times a second may see two snapshots published at once (the last full second and the run's
     * end), and a chart must get both points.
     */
    private String eventJson(Run run, RunState state, List<TimelinePoint> timeline, List<TimelinePoint> points) {
        Written shared = written.get(run.id());
        if (shared == null || shared.state() != state) {
            RunResponse response = RunResponse.withoutDefinition(run, runs.queuePosition(run).orElse(null));
            shared = new Written(state, json.writeValueAsString(response));
            if (state.status() == RunStatus.RUNNING) { // a queued run's position moves without a new state
                written.put(run.id(), shared);
            }
        }
        return "{\"run\":" + shared.runJson()
                + ",\"latest\":" + json.writeValueAsString(timeline.isEmpty() ? null : timeline.getLast())
                + ",\"points\":" + json.writeValueAsString(points) + "}";
    }

    /** Every stream is taken. */
    static final class TooManyStreamsException extends RuntimeException {

        TooManyStreamsException(int limit) {
            super("All " + limit + " event streams are open; close one, or poll GET /tests/{id} instead");
        }
    }
}
