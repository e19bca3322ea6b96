package dev.barrage.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A run whose load is being applied. Thread-safety: every method may be called from any thread.
 */
public interface LoadRun {

    /** Stops starting requests and abandons those in flight; the completion follows promptly. */
    void cancel();

    /** Completes once no request is in flight any more; never completes exceptionally. */
    CompletableFuture<RunEnd> completion();

    /** Nanoseconds since the load started (frozen at the end once completed). */
    long elapsedNanos();

    /** Share of the planned duration that has passed, 0..1; below 1 for a run cancelled early. */
    double progress();
}
