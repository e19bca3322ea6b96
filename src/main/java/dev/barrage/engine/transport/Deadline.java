package dev.barrage.engine.transport;

import java.net.SocketTimeoutException;

/** Arithmetic on exchange deadlines expressed as {@link System#nanoTime()} instants. Stateless. */
final class Deadline {

    private Deadline() {
    }

    /**
     * Time left until the deadline, rounded up to whole milliseconds for socket timeouts (where 0
     * would mean "wait forever").
     *
     * @throws SocketTimeoutException when the deadline has passed
     */
    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long nanos = remainingNanos(deadlineNanos);
        return (int) Math.min((nanos + 999_999) / 1_000_000, Integer.MAX_VALUE);
    }

    /** @throws SocketTimeoutException when the deadline has passed */
    static long remainingNanos(long deadlineNanos) throws SocketTimeoutException {
        long nanos = deadlineNanos - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("exchange deadline passed");
        }
        return nanos;
    }
}
