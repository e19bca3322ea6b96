package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import java.time.Duration;

/**
 * Requests start when the pacer says they are due, whatever the target does; at most
 * {@code maxConcurrency} are in flight, and a request that finds them all busy starts late
 * (counted as delayed, its latency still measured from when it was due).
 */
public record OpenWorkload(Pacer pacer, int maxConcurrency) implements Workload {

    public OpenWorkload {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1");
        }
    }

    @Override
    public Duration duration() {
        return Duration.ofNanos(pacer.durationNanos());
    }
}
