package dev.barrage.runs;

import dev.barrage.engine.LoadRun;
import dev.barrage.engine.RunEnd;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed run's load as every node sees it: elapsed from the common start instant by this
 * node's clock, cancelled cluster-wide, completed when the merged run ends.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
final class DistributedLoad implements LoadRun {

    private final long startNanos;
    private final long plannedNanos;
    private final Runnable cancelEverywhere;
    private final CompletableFuture<RunEnd> completion = new CompletableFuture<>();
    private volatile long endedElapsedNanos = -1;

    /** @param startNanos the common start instant on this node's {@link System#nanoTime()} */
    DistributedLoad(long startNanos, Duration planned, Runnable cancelEverywhere) {
        this.startNanos = startNanos;
        this.plannedNanos = planned.toNanos();
        this.cancelEverywhere = cancelEverywhere;
    }

    @Override
    public void cancel() {
        cancelEverywhere.run();
    }

    @Override
    public CompletableFuture<RunEnd> completion() {
        return completion;
    }

    @Override
    public long elapsedNanos() {
        long ended = endedElapsedNanos;
        return ended >= 0 ? ended : Math.max(0, System.nanoTime() - startNanos);
    }

    @Override
    public double progress() {
        return plannedNanos <= 0 ? 1.0 : Math.min(1.0, (double) elapsedNanos() / plannedNanos);
    }

    void ended(RunEnd end) {
        endedElapsedNanos = end.elapsedNanos();
        completion.complete(end);
    }
}
