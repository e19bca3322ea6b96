package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.Transport;
import java.util.concurrent.ThreadFactory;

/** Starts runs. Stateless and thread-safe. */
public final class LoadEngine {

    private static final ThreadFactory DISPATCHER =
            Thread.ofPlatform().name("barrage-dispatcher-", 0).daemon().priority(Thread.MAX_PRIORITY).factory();

    private final NanoClock clock;

    public LoadEngine(NanoClock clock) {
        this.clock = clock;
    }

    /**
     * Starts applying {@code workload} through {@code transport}, recording into {@code recorder}.
     *
     * @param workerThreads creates the request workers; virtual threads in production
     */
    public LoadRun start(Workload workload, Transport transport, RunRecorder recorder, ThreadFactory workerThreads) {
        return switch (workload) {
            case ClosedWorkload closed -> new ClosedModelRun(closed, transport, recorder, clock, workerThreads).start();
            case OpenWorkload open -> new OpenModelRun(open, transport, recorder, clock, workerThreads, DISPATCHER).start();
        };
    }
}
