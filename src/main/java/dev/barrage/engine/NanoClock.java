package dev.barrage.engine;

import java.util.concurrent.locks.LockSupport;

/** A monotonic clock in nanoseconds; the engine reads and waits for time only through it, so tests can drive time. */
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();

    /** Blocks until {@link #nanoTime()} reaches {@code deadline}; returns at once if it already has. */
    default void parkUntil(long deadline) throws InterruptedException {
        long remaining;
        while ((remaining = deadline - nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * As {@link #parkUntil}, but to within a spin rather than a park's overshoot: parks until
     * {@code spinNanos} before the deadline, then spins. A park wakes up late by the timer slack (50 µs
     * and more on Linux), which is too late for a hit due just before the end of the run.
     */
    default void awaitPrecisely(long deadline, long spinNanos) throws InterruptedException {
        parkUntil(deadline - spinNanos);
        while (deadline - nanoTime() > 0) {
            Thread.onSpinWait();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Blocks until another thread unparks the caller, the caller is interrupted, or {@code deadline}
     * is reached, whichever comes first; may also return for no reason (callers re-check their
     * condition). Never throws: the caller checks its interrupt status.
     */
    default void parkUntilWoken(Object blocker, long deadline) {
        long remaining = deadline - nanoTime();
        if (remaining > 0) {
            LockSupport.parkNanos(blocker, remaining);
        }
    }
}
