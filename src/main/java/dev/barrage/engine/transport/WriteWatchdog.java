package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds a socket write by the exchange deadline. Java sockets have no write timeout, so a write
 * that fills the socket buffers of a peer that stopped reading would block forever; the watchdog
 * closes the socket at the deadline instead. Scheduling costs a shared queue operation, so the
 * connection only arms it for writes too large to fit in the socket buffers.
 *
 * <p>Thread-safety: thread-safe; one daemon timer thread serves every transport in the JVM.
 */
final class WriteWatchdog {

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private WriteWatchdog() {
    }

    /**
     * Arms an alarm that closes the socket after {@code nanos}. Cancel it with {@link #disarm}.
     */
    static ScheduledFuture<?> arm(Socket socket, long nanos) {
        return TIMER.schedule(() -> closeQuietly(socket), nanos, TimeUnit.NANOSECONDS);
    }

    /** @return true when the alarm had not fired, i.e. the socket was not closed by the watchdog */
    static boolean disarm(ScheduledFuture<?> alarm) {
        return alarm.cancel(false);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the writer sees the closed socket; nothing more to do here
        }
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("barrage-write-watchdog").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
