package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.EventLoop;
import dev.barrage.engine.transport.Http1Transport;

/**
 * The open model of a single-request test over plain http, on event loops: each loop (one per CPU
 * the JVM sees, and no more than maxConcurrency) runs its own share of the schedule, the segment's
 * hits {@code i, i + L, i + 2L, ...} for loop {@code i} of {@code L}, and starts each hit when it is
 * due on one of its waiting connections, opening a new one when none waits ({@link OpenLoopShare});
 * connections for the hits of the first 5 ms are opened before the clock starts.
 * There is no dispatcher thread and no hand-off between threads: a hit costs its loop a write and a
 * read, as in wrk2. What a hit does and how it is counted is what {@link OpenModelRun}'s do with the
 * same test: latency from the due time and service time from the send, lateness held back for a
 * counted reason (delayed, connectDelayed) apart from the generator's own (scheduler lag), no hit
 * started at or after the end of the duration and those still waiting then counted as dropped,
 * every request in flight then awaited, cancellation abandoning them uncounted.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread; each share, with its users,
 * is confined to its loop's thread; the shares meet only in the recorder (lock-free).
 */
final class EventLoopOpenRun {

    /**
     * How long the loops may spend opening their first connections (at once) before the run's clock
     * starts: a loopback target takes well under a millisecond, a distant one a round trip; a target
     * slower than this gets the rest on demand.
     */
    static final long PRECONNECT_BUDGET_NANOS = 250_000_000;

    private final RunLifecycle life;
    private final EventLoop[] loops;
    private final OpenLoopShare[] shares;

    EventLoopOpenRun(OpenWorkload workload, ExecutionSegment segment, Http1Transport transport, RunRecorder recorder,
                     NanoClock clock) {
        this.life = new RunLifecycle(clock, workload.pacer().durationNanos());
        int count = Math.min(Runtime.getRuntime().availableProcessors(), workload.maxConcurrency());
        long planned = segment.scale(workload.pacer().totalHits());
        this.loops = new EventLoop[count];
        this.shares = new OpenLoopShare[count];
        for (int i = 0; i < count; i++) {
            shares[i] = new OpenLoopShare(i, count, workload, segment, planned, recorder, clock, life);
            loops[i] = new EventLoop(transport, shares[i]);
            shares[i].runsOn(loops[i]);
        }
    }

    /**
     * Starts the load; the returned handle follows, cancels and awaits it. Each loop first opens the
     * connections its first hits need ({@link OpenLoopShare#preconnect}); the schedule counts from
     * when every loop's thread has and runs ({@link StartLine}).
     */
    LoadRun start() {
        StartLine line = new StartLine(loops.length, life::startClock);
        long preconnectDeadline = System.nanoTime() + PRECONNECT_BUDGET_NANOS;
        try {
            for (int i = 0; i < loops.length; i++) {
                EventLoop loop = loops[i];
                OpenLoopShare share = shares[i];
                life.spawn(EventLoops.THREADS, () -> {
                    share.preconnect(preconnectDeadline);
                    line.arriveAndAwait();
                    loop.run(); // cancelled meanwhile, it only closes its selector and its connections
                });
            }
        } catch (RuntimeException | Error couldNotStart) {
            life.cancel(); // the loops started already would wait at the line for ever
            throw couldNotStart;
        }
        life.release();
        return life;
    }
}
