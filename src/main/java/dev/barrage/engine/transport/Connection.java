package dev.barrage.engine.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One open connection (plain or TLS over a TCP {@link SocketChannel}) whose reads and writes are
 * bounded by the current exchange deadline. The channel underneath lets an idle connection be
 * checked without blocking before it carries another request ({@link #probe()}), which a
 * {@code java.net.Socket} cannot do.
 *
 * <p>Thread-safety: confined to the owning session's thread, except that the
 * {@link DeadlineSweeper} reads the deadline and may close the socket from its own thread.
 */
final class Connection implements ByteSource, AutoCloseable {

    /** What an idle connection holds when it is about to be reused. */
    enum Idle {
        /** Nothing waiting: it may carry the next request. */
        OPEN,
        /** The peer closed or reset it while it was idle: replace it before writing anything. */
        CLOSED,
        /** Bytes nobody asked for arrived after the last response: that response was not alone. */
        STRAY_BYTES
    }

    /** Writes up to this size fit in the socket buffers and never block on a silent peer. */
    private static final int UNGUARDED_WRITE_BYTES = 64 * 1024;
    private static final long IDLE = Long.MAX_VALUE;

    private final SocketChannel channel;
    private final Socket tcp;
    private final Socket socket;
    private final boolean tls;
    private final InputStream in;
    private final InputStream tcpIn;
    private final OutputStream out;
    private final ByteBuffer probeBuffer = ByteBuffer.allocate(1);
    private ByteBuffer readView; // plain TCP: the reader's current buffer, wrapped once per buffer

    private volatile long deadlineNanos = IDLE;
    private volatile boolean abortedAtDeadline;

    /**
     * @param channel the TCP channel, connected and in blocking mode
     * @param socket  the socket to talk over: the channel's own, or TLS layered over it
     */
    Connection(SocketChannel channel, Socket socket) throws IOException {
        this.channel = channel;
        this.tcp = channel.socket();
        this.socket = socket;
        this.tls = socket != tcp;
        this.in = socket.getInputStream();
        this.tcpIn = tcp.getInputStream();
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

    /**
     * Looks at an idle connection without blocking and without sending anything. Plain TCP: one
     * non-blocking read (a system call that finds nothing in the healthy case). TLS records cannot
     * be peeked at, so bytes waiting under TLS are read through it briefly, since they may be the
     * server's session tickets rather than data.
     */
    Idle probe() {
        try {
            if (tls && tcpIn.available() > 0) {
                return probeTlsRecords();
            }
            int read = readWithoutBlocking();
            if (read == 0) {
                return Idle.OPEN;
            }
            // under TLS a byte taken from the middle of a record leaves the stream unusable
            return read < 0 || tls ? Idle.CLOSED : Idle.STRAY_BYTES;
        } catch (IOException | RuntimeException e) {
            return Idle.CLOSED; // reset while idle, or closed by the peer mid-probe
        }
    }

    private int readWithoutBlocking() throws IOException {
        channel.configureBlocking(false);
        try {
            probeBuffer.clear();
            return channel.read(probeBuffer);
        } finally {
            channel.configureBlocking(true);
        }
    }

    private Idle probeTlsRecords() throws IOException {
        socket.setSoTimeout(1);
        try {
            return in.read() < 0 ? Idle.CLOSED : Idle.STRAY_BYTES;
        } catch (SocketTimeoutException onlyHandshakeMessages) {
            return Idle.OPEN;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    /** Writes the whole request in one call. */
    void write(byte[] bytes) throws IOException {
        write(bytes, bytes.length);
    }

    /** Writes {@code bytes[0, length)} in one call. */
    void write(byte[] bytes, int length) throws IOException {
        try {
            if (length <= UNGUARDED_WRITE_BYTES) {
                Deadline.remainingNanos(deadlineNanos);
                out.write(bytes, 0, length);
                return;
            }
            // Closing an SSLSocket sends close_notify under the write lock the blocked writer holds,
            // so the watchdog closes the TCP socket underneath, which wakes the writer.
            Watchdog.runBounded(tcp, deadlineNanos, "request write", () -> out.write(bytes, 0, length));
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (abortedAtDeadline) {
                // the sweeper closed the socket at the deadline before the watchdog did: a timeout, not a reset
                throw new SocketTimeoutException("request write did not finish before the deadline");
            }
            if (e instanceof SocketException) {
                throw e;
            }
            // a channel reports a peer gone mid-write ("Broken pipe") as a plain IOException
            throw new SocketException(e.getMessage(), e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Deadline.remainingNanos(deadlineNanos);
        try {
            int read = tls ? in.read(buffer, offset, length) : readChannel(buffer, offset, length);
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

    /**
     * Reads straight from the channel rather than through the socket's stream: a user waiting for
     * its response parks three frames higher, and each of 10,000 parked users keeps its frozen
     * stack on the heap (docs/performance.md, "Memory").
     */
    private int readChannel(byte[] buffer, int offset, int length) throws IOException {
        ByteBuffer view = readView;
        if (view == null || view.array() != buffer) {
            view = ByteBuffer.wrap(buffer);
            readView = view;
        }
        view.limit(offset + length).position(offset);
        return channel.read(view);
    }

    @Override
    public void close() {
        DeadlineSweeper.forget(this);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the connection is abandoned either way
        }
        try {
            channel.close(); // a TLS socket that fails its close_notify may leave the channel open
        } catch (IOException ignored) {
            // as above
        }
    }
}
