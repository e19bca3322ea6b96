package dev.barrage.engine.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces exchange deadlines on blocking reads by sweeping, instead of a socket timeout per read.
 * A timed read on a virtual thread arms and cancels a timer on every park, which cost a third of
 * the generator's CPU in profiles; reads here are untimed, and one daemon thread closes the socket
 * of any connection still inside an exchange past its deadline, waking the blocked reader. A
 * timeout is thereby detected up to {@link #SWEEP_PERIOD_NANOS} late.
 *
 * <p>Thread-safety: thread-safe; one sweeper thread serves every transport in the JVM. Connections
 * join on open and leave on close, not per request.
 */
final class DeadlineSweeper {

    static final long SWEEP_PERIOD_NANOS = 10_000_000;

    private static final Set<Connection> OPEN = ConcurrentHashMap.newKeySet();

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

    private static void sweepForever() {
        while (true) {
            LockSupport.parkNanos(SWEEP_PERIOD_NANOS);
            long now = System.nanoTime();
            for (Connection connection : OPEN) {
                connection.abortIfPast(now);
            }
        }
    }
}
