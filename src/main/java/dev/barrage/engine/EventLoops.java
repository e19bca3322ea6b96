package dev.barrage.engine;

import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * What the runs on event loops of both models share: which tests they serve ({@link EventLoopClosedRun},
 * {@link EventLoopOpenRun}), and the loops' threads.
 *
 * <p>Stateless.
 */
final class EventLoops {

    /** The loops' threads: platform threads, so a loop's timing never queues behind virtual threads. */
    static final ThreadFactory THREADS = Thread.ofPlatform().name("barrage-loop-", 0).daemon().factory();

    private EventLoops() {
    }

    /**
     * Whether a run of {@code plan} over {@code transports} can go on event loops: one request sent
     * as encoded once (a single-request test: no data, checks or captures to apply per iteration),
     * over plain http.
     */
    static boolean serve(ScenarioPlan plan, Transport[] transports) {
        if (transports.length != 1 || !(transports[0] instanceof Http1Transport http) || !http.servedByEventLoop()) {
            return false;
        }
        return plan.scenarios().size() == 1 && plan.scenarios().getFirst().steps().size() == 1
                && plan.requestSteps().size() == 1 && plan.requestSteps().getFirst().sendsSessionRequest()
                && plan.checkNames().isEmpty();
    }
}
