package dev.barrage.engine;

import java.time.Duration;

/**
 * A clock that moves only when told. Thread-safe. In {@link #manual()} mode waiting threads block
 * until another thread advances the clock far enough; in {@link #jumping()} mode a wait moves the
 * clock straight to its deadline, like a discrete-event simulation.
 */
final class FakeClock implements NanoClock {

    private final boolean jumpOnPark;
    private long nanos = 1_000_000_000L;
    private final java.util.List<Long> waitingUntil = new java.util.ArrayList<>();

    private FakeClock(boolean jumpOnPark) {
        this.jumpOnPark = jumpOnPark;
    }

    static FakeClock manual() {
        return new FakeClock(false);
    }

    static FakeClock jumping() {
        return new FakeClock(true);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    synchronized void advance(Duration by) {
        nanos += by.toNanos();
        notifyAll();
    }

    @Override
    public synchronized void parkUntil(long deadline) throws InterruptedException {
        if (jumpOnPark) {
            if (deadline > nanos) {
                nanos = deadline;
                notifyAll();
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Long entry = deadline;
        waitingUntil.add(entry);
        try {
            while (nanos < deadline) {
                wait();
            }
        } finally {
            waitingUntil.remove(entry);
        }
    }

    /** Threads blocked in {@link #parkUntil} whose deadline is still ahead (manual mode): none of them can run. */
    synchronized int waiting() {
        return (int) waitingUntil.stream().filter(until -> until > nanos).count();
    }
}
