package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import java.util.function.IntConsumer;

/**
 * The closed model's controller, whichever way its users run (a virtual thread each, or on event
 * loops): sets the user count the workload wants now, sleeps until the count next changes, and at
 * the end of the duration tells the recorder that no request starts any more.
 *
 * <p>Thread-safety: stateless; {@link #follow} runs on the run's one controller thread.
 */
final class ClosedController {

    private ClosedController() {
    }

    /**
     * Returns when the duration is over or the run was cancelled.
     *
     * @param adjustTo sets the number of users (this generator's share of the whole plan's)
     * @throws InterruptedException when the run was cancelled during a sleep
     */
    static void follow(ClosedWorkload workload, ExecutionSegment segment, RunLifecycle life, RunRecorder recorder,
                       NanoClock clock, IntConsumer adjustTo) throws InterruptedException {
        long start = life.startNanos();
        long duration = workload.users().durationNanos();
        while (!life.cancelled()) {
            long elapsed = clock.nanoTime() - start;
            if (elapsed >= duration) {
                recorder.durationEnded();
                return;
            }
            adjustTo.accept((int) segment.scale((long) Math.floor(workload.users().valueAt(elapsed) + 1e-9)));
            long next = workload.users().nextWholeChangeNanos(elapsed);
            clock.parkUntil(start + (next == Pacer.NEVER ? duration : Math.min(next, duration)));
        }
    }
}
