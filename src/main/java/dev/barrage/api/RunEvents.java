package dev.barrage.api;

import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

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
    private final AtomicInteger open = new AtomicInteger();

    RunEvents(RunService runs) {
        this.runs = runs;
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
                    SnapshotEvent event = event(run, state, pointsSent);
                    emitter.send(SseEmitter.event().name("snapshot").data(event, MediaType.APPLICATION_JSON));
                    sent = state.snapshot();
                    pointsSent += event.points().size();
                    lastWrite = System.nanoTime();
                }
                if (state.status().isFinal()) {
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
     * The run as {@code state} shows it, with the timeline points this stream has not sent yet: a
     * stream that looks five times a second may see two snapshots published at once (the last full
     * second and the run's end), and a chart must get both points.
     */
    private SnapshotEvent event(Run run, RunState state, int pointsSent) {
        List<TimelinePoint> timeline = state.snapshot().timeline();
        List<TimelinePoint> points = List.copyOf(timeline.subList(Math.min(pointsSent, timeline.size()), timeline.size()));
        return new SnapshotEvent(RunResponse.withoutDefinition(run, runs.queuePosition(run).orElse(null)),
                timeline.isEmpty() ? null : timeline.getLast(), points);
    }

    /**
     * One {@code snapshot} event: the run as GET /tests lists it, its newest timeline point (null
     * before the first), and the points since this stream's previous event (all so far in the first).
     */
    record SnapshotEvent(RunResponse run, TimelinePoint latest, List<TimelinePoint> points) {
    }

    /** Every stream is taken. */
    static final class TooManyStreamsException extends RuntimeException {

        TooManyStreamsException(int limit) {
            super("All " + limit + " event streams are open; close one, or poll GET /tests/{id} instead");
        }
    }
}
