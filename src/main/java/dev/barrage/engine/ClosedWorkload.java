package dev.barrage.engine;

import java.time.Duration;

/** {@code concurrency} virtual users, each sending its next request as soon as the previous one ended. */
public record ClosedWorkload(int concurrency, Duration duration) implements Workload {

    public ClosedWorkload {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }
}
