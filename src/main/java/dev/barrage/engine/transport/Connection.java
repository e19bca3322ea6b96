package dev.barrage.engine.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One open socket (plain or TLS) whose reads and writes are bounded by the current exchange
 * deadline. Thread-safety: confined to the owning session's thread, except that the
 * {@link DeadlineSweeper} reads the deadline and may close the socket from its own thread.
 */
final class Connection implements ByteSource, AutoCloseable {

    /** Writes up to this size fit in the socket buffers and never block on a silent peer. */
    private static final int UNGUARDED_WRITE_BYTES = 64 * 1024;

    private final Socket socket;
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private static final long IDLE = Long.MAX_VALUE;

    private volatile long deadlineNanos = IDLE;
    private volatile boolean abortedAtDeadline;

    /**
     * @param socket the socket to talk over (TLS for https)
     * @param tcp    the TCP socket underneath, the same as {@code socket} for plain http
     */
    Connection(Socket socket, Socket tcp) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        DeadlineSweeper.watch(this);
    }

    /** Sets the {@link System#nanoTime()} instant by which the current exchange must finish. */
    void deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** The exchange is over; an idle keep-alive connection has no deadline. */
    void idle() {
        this.deadlineNanos = IDLE;
    }

    /** Called by the sweeper: closes the socket when the exchange has run past its deadline. */
    void abortIfPast(long nowNanos) {
        if (nowNanos - deadlineNanos > 0 && deadlineNanos != IDLE) {
            abortedAtDeadline = true;
            DeadlineSweeper.forget(this);
            try {
                tcp.close(); // the TCP socket: closing a TLS socket would wait for the reader's lock
            } catch (IOException ignored) {
                // the reader wakes on the closed socket either way
            }
        }
    }

    /** Writes the whole request in one call. */
    void write(byte[] bytes) throws IOException {
        if (bytes.length <= UNGUARDED_WRITE_BYTES) {
            Deadline.remainingNanos(deadlineNanos);
            out.write(bytes);
            return;
        }
        // Closing an SSLSocket sends close_notify under the write lock the blocked writer holds,
        // so the watchdog closes the TCP socket underneath, which wakes the writer.
        Watchdog.runBounded(tcp, deadlineNanos, "request write", () -> out.write(bytes));
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Deadline.remainingNanos(deadlineNanos);
        try {
            int read = in.read(buffer, offset, length);
            if (read < 0 && abortedAtDeadline) {
                throw new SocketTimeoutException("response not complete before the deadline");
            }
            return read;
        } catch (IOException e) {
            if (abortedAtDeadline) {
                throw new SocketTimeoutException("response not complete before the deadline");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        DeadlineSweeper.forget(this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the connection is abandoned either way
        }
    }
}
