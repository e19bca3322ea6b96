package dev.barrage.engine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock that moves only when told. Thread-safe. In {@link #manual()} mode waiting threads block
 * until another thread advances the clock far enough; in {@link #jumping()} mode a wait moves the
 * clock straight to its deadline, like a discrete-event simulation.
 */
final class FakeClock implements NanoClock {

    private final boolean jumpOnPark;
    private final boolean dispatcherWaits;
    private long nanos = 1_000_000_000L;
    private final java.util.List<Long> waitingUntil = new java.util.ArrayList<>();
    private final java.util.Set<Thread> woken = new java.util.HashSet<>();
    private final java.util.List<Long> preciseWaits = new java.util.ArrayList<>();

    private FakeClock(boolean jumpOnPark, boolean dispatcherWaits) {
        this.jumpOnPark = jumpOnPark;
        this.dispatcherWaits = dispatcherWaits;
    }

    static FakeClock manual() {
        return new FakeClock(false, false);
    }

    static FakeClock jumping() {
        return new FakeClock(true, false);
    }

    /**
     * Request workers jump time forward; the open model's dispatcher waits for them to move it. With
     * a target slower than the rate this makes the simulation exact: only requests move time.
     */
    static FakeClock movedByRequests() {
        return new FakeClock(true, true);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    synchronized void advance(Duration by) {
        nanos += by.toNanos();
        timeMoved();
    }

    /** Wakes the threads waiting in {@link #parkUntilWoken} to re-check their condition (under the monitor). */
    private void timeMoved() {
        notifyAll();
        woken.forEach(LockSupport::unpark);
    }

    /** Parks for real until unparked, or until this clock reaches the deadline. */
    @Override
    public void parkUntilWoken(Object blocker, long deadline) {
        Thread self = Thread.currentThread();
        synchronized (this) {
            if (nanos >= deadline) {
                return;
            }
            woken.add(self);
        }
        try {
            LockSupport.park(blocker);
        } finally {
            synchronized (this) {
                woken.remove(self);
            }
        }
    }

    @Override
    public synchronized void parkUntil(long deadline) throws InterruptedException {
        if (jumpOnPark && !(dispatcherWaits && Thread.currentThread().getName().startsWith("barrage-dispatcher"))) {
            if (deadline > nanos) {
                nanos = deadline;
                timeMoved();
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

    /** Nothing moves a fake clock while a thread spins: it waits as in {@link #parkUntil}, and the deadline is noted. */
    @Override
    public void awaitPrecisely(long deadline, long spinNanos) throws InterruptedException {
        synchronized (this) {
            preciseWaits.add(deadline);
        }
        parkUntil(deadline);
    }

    /** The deadlines awaited with {@link #awaitPrecisely}, in order. */
    synchronized java.util.List<Long> preciseWaits() {
        return java.util.List.copyOf(preciseWaits);
    }

    /** Threads parked in {@link #parkUntilWoken}. */
    synchronized int parkedUntilWoken() {
        return woken.size();
    }

    /** Threads blocked in {@link #parkUntil} whose deadline is still ahead (manual mode): none of them can run. */
    synchronized int waiting() {
        return (int) waitingUntil.stream().filter(until -> until > nanos).count();
    }
}
