package dev.barrage.config;

import dev.barrage.runs.RunService;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * On shutdown, cancels running tests and waits for their final results before the aggregation lane
 * stops, so a run ends CANCELLED with what it did instead of vanishing mid-flight.
 */
final class RunShutdown implements SmartLifecycle {

    private final RunService runs;
    private final Duration wait;
    private volatile boolean running;

    RunShutdown(RunService runs, Duration wait) {
        this.runs = runs;
        this.wait = wait;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        runs.cancelAllAndWait(wait);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
