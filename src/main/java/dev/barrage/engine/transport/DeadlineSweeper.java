package dev.barrage.engine.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces exchange deadlines on blocking reads by sweeping, instead of a socket timeout per read.
 * A timed read on a virtual thread arms and cancels a timer on every park, which cost a third of
 * the generator's CPU in profiles; reads here are untimed, and one daemon thread closes the socket
 * of any connection still inside an exchange past its deadline, waking the blocked reader.
 *
 * <p>A timeout is thereby detected up to one sweep period late. The period follows the shortest
 * timeout of the requests sent lately: 1 % of it, within [{@link #MIN_PERIOD_NANOS},
 * {@link #MAX_PERIOD_NANOS}] (10 ms for timeouts up to 1 s, 50 ms for the default 5 s). Each wake-up
 * takes the generator's one core from its users (on one core, 100 wake-ups a second were 5 % of a
 * 100-user run's CPU, bench/threads.sh), so a period no finer than the timeouts need is throughput.
 * The shortest timeout is forgotten after one to two {@link #FORGET_AFTER_NANOS} windows (the
 * period follows the shorter of this window's and the last one's), so one test with short timeouts
 * does not keep the sweeper fast after it, and a run still going never waits a long period for it.
 *
 * <p>Thread-safety: thread-safe; one sweeper thread serves every transport in the JVM. Connections
 * join on open and leave on close, not per request; per request, {@link #expect} reads one volatile
 * field and writes it only when the timeout is shorter than any since the last reset.
 */
final class DeadlineSweeper {

    static final long MIN_PERIOD_NANOS = 10_000_000;
    static final long MAX_PERIOD_NANOS = 50_000_000;
    static final long FORGET_AFTER_NANOS = 10_000_000_000L;

    private static final Set<Connection> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile long shortestTimeoutNanos = Long.MAX_VALUE;

    static {
        Thread.ofPlatform().name("barrage-deadline-sweeper").daemon().start(DeadlineSweeper::sweepForever);
    }

    private DeadlineSweeper() {
    }

    static void watch(Connection connection) {
        OPEN.add(connection);
    }

    static void forget(Connection connection) {
        OPEN.remove(connection);
    }

    /** A request with this timeout is about to be sent. */
    static void expect(long timeoutNanos) {
        if (timeoutNanos < shortestTimeoutNanos) {
            shortestTimeoutNanos = timeoutNanos; // a lost race leaves a longer period for one round at most
        }
    }

    /** The sweep period for requests whose shortest timeout is {@code shortestTimeoutNanos}. */
    static long periodFor(long shortestTimeoutNanos) {
        return Math.clamp(shortestTimeoutNanos / 100, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    }

    private static void sweepForever() {
        long forgetAt = System.nanoTime() + FORGET_AFTER_NANOS;
        long previousWindow = Long.MAX_VALUE; // so a reset does not lengthen one sweep of a run still going
        while (true) {
            LockSupport.parkNanos(periodFor(Math.min(previousWindow, shortestTimeoutNanos)));
            long now = System.nanoTime();
            for (Connection connection : OPEN) {
                connection.abortIfPast(now);
            }
            if (now - forgetAt >= 0) {
                forgetAt = now + FORGET_AFTER_NANOS;
                previousWindow = shortestTimeoutNanos;
                shortestTimeoutNanos = Long.MAX_VALUE;
            }
        }
    }
}
