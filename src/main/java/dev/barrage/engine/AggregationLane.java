package dev.barrage.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The CPU lane: a few platform threads, apart from the virtual-thread carriers that run requests,
 * where sampling, percentile computation and snapshot publication happen. Request workers never
 * wait for it and it never runs request I/O.
 *
 * <p>Thread-safety: thread-safe; tasks run on the lane's own threads.
 */
public final class AggregationLane implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    public AggregationLane(int threads) {
        executor = new ScheduledThreadPoolExecutor(threads,
                Thread.ofPlatform().name("barrage-aggregator-", 0).daemon(true).factory());
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} every {@code period}, first after {@code firstAfter}; executions never overlap. */
    public ScheduledFuture<?> every(Duration firstAfter, Duration period, Runnable task) {
        return executor.scheduleAtFixedRate(task, firstAfter.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    public Executor executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
