package dev.barrage.engine;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What both workload models share: the start time, the threads doing the work, cancellation, and
 * completion once the last of them has ended. The starter holds one share of the count until it
 * has spawned its first threads, so the run cannot complete before it has begun.
 *
 * <p>The start time is when the run was made until the schedule's threads take it again once they
 * run ({@link #startClock()}): setting up a run and starting its threads takes milliseconds, and the
 * thread that starts them may keep the core for a scheduler slice before they first run. Counted
 * from the first reading, every run's first hits would be late by that much, and the lateness
 * reported as the generator's own.
 *
 * <p>Thread-safety: every method is safe from any thread.
 */
final class RunLifecycle implements LoadRun {

    /**
     * A hit due less than this before the end is awaited by spinning, from this long before it, not
     * by parking ({@link NanoClock#awaitPrecisely}): a park overshoots by the timer slack (50 µs and
     * more), which would carry the last hits of a fast run past the end, where they are dropped.
     * Costs at most twice this much CPU once per run.
     */
    static final long SPIN_BEFORE_END_NANOS = 250_000;

    private final NanoClock clock;
    private final long durationNanos;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger running = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<RunEnd> completion = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile long endNanos = -1;
    private volatile long startNanos;

    RunLifecycle(NanoClock clock, long durationNanos) {
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.durationNanos = durationNanos;
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * The run starts now: called once by its schedule's thread when it runs (with several, by the
     * last of them to be ready, see {@link StartLine}), before any of them reads {@link #startNanos()}
     * or {@link #deadlineNanos()} for its schedule.
     */
    void startClock() {
        startNanos = clock.nanoTime();
    }

    long deadlineNanos() {
        return startNanos + durationNanos;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Runs {@code body} on a new thread that counts towards the run; a throw from it fails the run. */
    void spawn(ThreadFactory factory, Runnable body) {
        running.incrementAndGet();
        Thread thread = factory.newThread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                cancel();
            } finally {
                threads.remove(Thread.currentThread());
                release();
            }
        });
        threads.add(thread);
        thread.start();
    }

    /** The starter gives up its share once it has spawned the first threads. */
    void release() {
        if (running.decrementAndGet() == 0) {
            endNanos = clock.nanoTime();
            Throwable failed = failure.get();
            RunEnd.Outcome outcome = failed != null ? RunEnd.Outcome.FAILED
                    : cancelled ? RunEnd.Outcome.CANCELLED : RunEnd.Outcome.COMPLETED;
            completion.complete(new RunEnd(outcome, endNanos - startNanos, failed));
        }
    }

    @Override
    public void cancel() {
        if (cancelled || completion.isDone()) {
            return;
        }
        cancelled = true;
        threads.forEach(Thread::interrupt);
    }

    @Override
    public CompletableFuture<RunEnd> completion() {
        return completion;
    }

    @Override
    public long elapsedNanos() {
        long end = endNanos;
        return (end >= 0 ? end : clock.nanoTime()) - startNanos;
    }

    @Override
    public double progress() {
        return Math.min(1.0, (double) elapsedNanos() / durationNanos); // frozen at the end: a cancelled run stays short of 1
    }
}
