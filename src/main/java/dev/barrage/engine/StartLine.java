package dev.barrage.engine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the threads that share a run's schedule wait for each other before its first hit: the last
 * of them to arrive starts the run's clock ({@code atStart}, such as {@link RunLifecycle#startClock()})
 * and lets the others go, so the schedule counts from when every one of them runs, not from when the
 * first was made. A thread that has to wait for a core to be started is then not late for hits that
 * came due meanwhile.
 *
 * <p>Thread-safety: safe from any thread; {@code atStart} runs once, on the last thread to arrive,
 * before any of them goes on.
 */
final class StartLine {

    private final AtomicInteger yetToArrive;
    private final CountDownLatch open = new CountDownLatch(1);
    private final Runnable atStart;

    StartLine(int runners, Runnable atStart) {
        if (runners < 1) {
            throw new IllegalArgumentException("a start line needs at least one runner, not " + runners);
        }
        this.yetToArrive = new AtomicInteger(runners);
        this.atStart = atStart;
    }

    /**
     * The calling runner is ready: returns once every runner is, the last at once. An interrupt (the
     * run is cancelled) ends the wait with the thread's interrupt status set, so that the runner ends.
     */
    void arriveAndAwait() {
        if (yetToArrive.decrementAndGet() == 0) {
            atStart.run();
            open.countDown();
            return;
        }
        try {
            open.await();
        } catch (InterruptedException cancelled) {
            Thread.currentThread().interrupt();
        }
    }
}
