package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds blocking socket work that socket timeouts cannot bound by the exchange deadline: a write
 * to a peer that stopped reading (Java has no write timeout) and a TLS handshake (the read timeout
 * applies per read, so a trickling peer could stretch it). At the deadline the TCP socket is
 * closed, which wakes the blocked thread. Arming costs a shared timer-queue operation, so it is
 * kept off the per-request path: once per TLS connection and for large request writes only.
 *
 * <p>Thread-safety: thread-safe; one daemon timer thread serves every transport in the JVM.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    @FunctionalInterface
    interface BlockingIo {
        void run() throws IOException;
    }

    private Watchdog() {
    }

    /**
     * Runs {@code io}, closing {@code tcp} if it is still running at the deadline.
     *
     * @throws SocketTimeoutException when the deadline passed first (the socket is then closed)
     */
    static void runBounded(Socket tcp, long deadlineNanos, String what, BlockingIo io) throws IOException {
        // Set before the close: closing a channel waits for its blocked reader, so the reader can fail
        // while the alarm is still running, when cancelling it would still "succeed".
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> alarm = TIMER.schedule(() -> {
            fired.set(true);
            closeQuietly(tcp);
        }, Deadline.remainingNanos(deadlineNanos), TimeUnit.NANOSECONDS);
        try {
            io.run();
        } catch (IOException | RuntimeException e) {
            alarm.cancel(false);
            if (fired.get()) {
                throw timedOut(what); // e is the watchdog's own doing: the socket it closed
            }
            throw e;
        }
        alarm.cancel(false);
        if (fired.get()) {
            throw timedOut(what); // fired just as the work finished: the socket is closed now
        }
    }

    private static SocketTimeoutException timedOut(String what) {
        return new SocketTimeoutException(what + " did not finish before the deadline");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the blocked thread sees the closed socket; nothing more to do here
        }
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("barrage-transport-watchdog").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
