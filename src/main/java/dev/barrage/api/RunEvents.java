package dev.barrage.api;

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
 * one {@code end} event once it has ended. Each stream is served by its own virtual thread that
 * sleeps until the run publishes a new state (once a second while it runs) and then writes one event,
 * whose JSON its run's streams share: nothing on the request path or the aggregation lane waits for a
 * slow client. Streams are bounded in number.
 *
 * <p>Thread-safety: thread-safe; each emitter is written by its own thread only.
 */
@Component
class RunEvents {

    /** Streams open at once across all runs; more are refused (429). */
    static final int MAX_STREAMS = 256;
    /** A comment this often, so a stream of a queued run notices a client that has gone. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final RunService runs;
    private final JsonMapper json;
    private final AtomicInteger open = new AtomicInteger();
    /** Per run, the last snapshot written as JSON: its streams share one serialization per second. */
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    /** Per run, its open streams: the last one to close drops the run's shared JSON, ended or not. */
    private final Map<String, Integer> following = new ConcurrentHashMap<>();

    /**
     * A run's state as JSON, the state it was written from, and the last whole event made of it (for
     * streams that had sent the first {@code eventFrom} points: usually all of them, so they share it).
     */
    private record Written(RunState state, String runJson, int eventFrom, String eventJson) {
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
        following.merge(run.id(), 1, Integer::sum);
        try {
            RunState sent = null;
            int pointsSent = 0;
            RunState state;
            long lastWrite = System.nanoTime();
            while (true) {
                state = run.state();
                if (state != sent) { // queued to running, every published second, the end
                    List<TimelinePoint> timeline = state.snapshot().timeline();
                    emitter.send(SseEmitter.event().name("snapshot").data(eventJson(run, state, timeline, pointsSent)));
                    sent = state;
                    pointsSent = Math.max(pointsSent, timeline.size());
                    lastWrite = System.nanoTime();
                }
                if (state.status().isFinal()) {
                    written.remove(run.id());
                    emitter.send(SseEmitter.event().name("end").data(state.status().name()));
                    emitter.complete();
                    return;
                }
                if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
                    emitter.send(SseEmitter.event().comment("waiting"));
                    lastWrite = System.nanoTime();
                }
                run.awaitChange(state, KEEP_ALIVE.minusNanos(System.nanoTime() - lastWrite));
            }
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e); // the client went away
        } catch (InterruptedException e) {
            emitter.complete();
        } finally {
            open.decrementAndGet();
            following.compute(run.id(), (id, streams) -> {
                if (streams == null || streams <= 1) {
                    written.remove(id); // under the count's lock: a stream starting meanwhile counts first
                    return null;
                }
                return streams - 1;
            });
        }
    }

    /**
     * One {@code snapshot} event's data: {@code {"run": ..., "latest": ..., "points": [...]}}, the run
     * as GET /tests lists it (written once per published state and shared by the run's streams), its
     * newest timeline point, and the points this stream has not sent yet: a stream that looks five
     * times a second may see two snapshots published at once (the last full second and the run's
     * end), and a chart must get both points.
     */
    private String eventJson(Run run, RunState state, List<TimelinePoint> timeline, int pointsSent) {
        int from = Math.min(pointsSent, timeline.size());
        Written shared = written.get(run.id());
        if (shared != null && shared.state() == state && shared.eventFrom() == from) {
            return shared.eventJson();
        }
        String runJson = shared != null && shared.state() == state ? shared.runJson()
                : json.writeValueAsString(RunResponse.withoutDefinition(run, runs.queuePosition(run).orElse(null)));
        String event = "{\"run\":" + runJson
                + ",\"latest\":" + json.writeValueAsString(timeline.isEmpty() ? null : timeline.getLast())
                + ",\"points\":" + json.writeValueAsString(timeline.subList(from, timeline.size())) + "}";
        if (state.status() == RunStatus.RUNNING) { // a queued run's position moves without a new state
            written.put(run.id(), new Written(state, runJson, from, event));
        }
        return event;
    }

    /** Every stream is taken. */
    static final class TooManyStreamsException extends RuntimeException {

        TooManyStreamsException(int limit) {
            super("All " + limit + " event streams are open; close one, or poll GET /tests/{id} instead");
        }
    }
}
