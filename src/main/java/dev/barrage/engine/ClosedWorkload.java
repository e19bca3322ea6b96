package dev.barrage.engine;

import dev.barrage.engine.pacing.Stages;
import java.time.Duration;

/**
 * Virtual users, each sending its next request as soon as the previous one ended. The number of
 * users follows {@code users} (whole users: the floor of the target), so a constant workload is one
 * flat stage and a ramp adds or retires users as the target moves.
 */
public record ClosedWorkload(Stages users) implements Workload {

    public static ClosedWorkload constant(int concurrency, Duration duration) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        return new ClosedWorkload(Stages.constant(concurrency, duration.toNanos()));
    }

    @Override
    public Duration duration() {
        return Duration.ofNanos(users.durationNanos());
    }

    /** The most users the plan ever asks for. */
    public int peakUsers() {
        return (int) Math.floor(users.peak());
    }
}
