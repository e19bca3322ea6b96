package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.Transport;
import java.util.concurrent.ThreadFactory;

/** Starts runs. Stateless and thread-safe. */
public final class LoadEngine {

    private static final ThreadFactory DISPATCHER =
            Thread.ofPlatform().name("barrage-dispatcher-", 0).daemon().priority(Thread.MAX_PRIORITY).factory();

    private final NanoClock clock;
    private final CarrierBacklog carriers;
    private final boolean eventLoops;

    /** An engine whose open-model pool never asks whether the carriers are behind (tests on a fake clock). */
    public LoadEngine(NanoClock clock) {
        this(clock, CarrierBacklog.NONE);
    }

    /** @param carriers tells the open model when a new connection would not help (production: {@link CarrierBacklog#ofJvm()}) */
    public LoadEngine(NanoClock clock, CarrierBacklog carriers) {
        this(clock, carriers, true);
    }

    /**
     * @param eventLoops whether a single-request test over plain http runs on event loops: the closed
     *                   model's users ({@link EventLoopClosedRun}) rather than a virtual thread each, and
     *                   the open model's schedule ({@link EventLoopOpenRun}, on the system clock only,
     *                   since a loop waits in real time) rather than a dispatcher and pooled workers
     */
    public LoadEngine(NanoClock clock, CarrierBacklog carriers, boolean eventLoops) {
        this.clock = clock;
        this.carriers = carriers;
        this.eventLoops = eventLoops;
    }

    /**
     * Starts applying {@code workload} with the transport's one request, recording into {@code recorder}.
     *
     * @param workerThreads creates the request workers; virtual threads in production
     */
    public LoadRun start(Workload workload, Transport transport, RunRecorder recorder, ThreadFactory workerThreads) {
        return start(workload, ScenarioPlan.single(), new Transport[] {transport}, recorder,
                workerThreads);
    }

    /**
     * Starts applying {@code workload} in iterations of {@code plan}'s scenarios, each request step
     * sent through the transport of its target, recording into {@code recorder}.
     *
     * @param transports one per target of the plan, by its index
     */
    public LoadRun start(Workload workload, ScenarioPlan plan, Transport[] transports, RunRecorder recorder,
                         ThreadFactory workerThreads) {
        return start(workload, ExecutionSegment.WHOLE, plan, transports, recorder, workerThreads);
    }

    /**
     * Starts this generator's {@code segment} of the workload: its share of the users (closed) or
     * of the iterations (open) of the whole plan, numbered as in the whole plan.
     */
    public LoadRun start(Workload workload, ExecutionSegment segment, ScenarioPlan plan, Transport[] transports,
                         RunRecorder recorder, ThreadFactory workerThreads) {
        return switch (workload) {
            case ClosedWorkload closed when eventLoops && EventLoops.serve(plan, transports) ->
                    new EventLoopClosedRun(closed, segment, (Http1Transport) transports[0], recorder, clock, workerThreads)
                            .start();
            case ClosedWorkload closed ->
                    new ClosedModelRun(closed, segment, plan, transports, recorder, clock, workerThreads).start();
            case OpenWorkload open when eventLoops && clock == NanoClock.SYSTEM && EventLoops.serve(plan, transports) ->
                    new EventLoopOpenRun(open, segment, (Http1Transport) transports[0], recorder, clock).start();
            case OpenWorkload open ->
                    new OpenModelRun(open, segment, plan, transports, recorder, clock, carriers, workerThreads,
                            DISPATCHER).start();
        };
    }
}
