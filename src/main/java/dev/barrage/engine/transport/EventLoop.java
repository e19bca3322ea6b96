package dev.barrage.engine.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One thread that carries the exchanges of many users over one plain-http {@link Http1Transport}:
 * a selector over their connections, as wrk runs one per core. A user waiting for its response is
 * a {@link LoopSession} (its channel, its key, its parser), not a parked thread whose frozen stack
 * the heap keeps: at 10,000 users that stack was most of the generator's memory
 * (docs/performance.md, "Memory"). Responses are read into one direct buffer of the loop's and
 * parsed from one array of its; the request is written from one direct buffer of the loop's.
 *
 * <p>Deadlines are swept as {@link DeadlineSweeper} does, at the same period, by the loop itself
 * between its selects: an exchange past its deadline ends as a timeout (a connect as a connect
 * timeout) and its connection is closed. Host names are resolved on the loop thread when a session
 * connects; the JVM's address cache answers all but the first lookup of a name.
 *
 * <p>A {@link LoopDriver} (the open model's schedule) runs on every turn, and the loop waits for I/O
 * no longer than it asks: to the millisecond in the selector, and the last fraction of a millisecond
 * parked, since a selector's timeout counts whole milliseconds.
 *
 * <p>Thread-safety: {@link #add}, {@link #finish} are safe from any thread; {@link #addConnected}
 * only before {@link #run}, on the thread that will run it or one that starts that thread
 * afterwards; interrupting the thread that runs {@link #run} cancels the loop. Everything else is
 * confined to that thread.
 */
public final class EventLoop implements Runnable, LoopHost {

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Selector selector;
    private final Http1Transport transport;
    private final LoopDriver driver;
    private final long sweepPeriodNanos;
    private final ByteBuffer request;
    /**
     * Direct, so a read lands in it without the JDK's detour for a heap buffer (a thread-local
     * temporary direct buffer per read, then a copy); the parser reads {@link #readBytes}.
     */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final byte[] readBytes = new byte[READ_BUFFER_BYTES];
    private final Queue<LoopSession> arrivals = new ConcurrentLinkedQueue<>();
    private final List<LoopSession> sessions = new ArrayList<>();
    private final ArrayDeque<LoopSession> runLater = new ArrayDeque<>();
    /** Made once: a method reference passed to every select would be a new object each time. */
    private final Consumer<SelectionKey> onReady = this::ready;
    private volatile boolean finishing;

    /** @throws IllegalArgumentException when the transport is not {@link Http1Transport#servedByEventLoop() served by a loop} */
    public EventLoop(Http1Transport transport) {
        this(transport, LoopDriver.NONE);
    }

    /** @throws IllegalArgumentException when the transport is not {@link Http1Transport#servedByEventLoop() served by a loop} */
    public EventLoop(Http1Transport transport, LoopDriver driver) {
        if (!transport.servedByEventLoop()) {
            throw new IllegalArgumentException("an event loop carries plain http only");
        }
        this.transport = transport;
        this.driver = driver;
        this.sweepPeriodNanos = DeadlineSweeper.periodFor(transport.timeoutNanos());
        byte[] bytes = transport.request();
        this.request = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public LoopHandle add(LoopUser user) {
        LoopSession session = new LoopSession(this, user);
        arrivals.add(session);
        selector.wakeup();
        return session;
    }

    @Override
    public LoopHandle[] addConnected(LoopUser[] users, long deadlineNanos) {
        LoopSession[] sessions = new LoopSession[users.length];
        int pending = 0;
        for (int i = 0; i < users.length; i++) {
            sessions[i] = LoopSession.connectAhead(this, users[i]);
            if (sessions[i] != null && sessions[i].connectingAhead()) {
                pending++;
            }
        }
        try {
            while (pending > 0) {
                long millis = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (millis < 1 || Thread.currentThread().isInterrupted()) {
                    break;
                }
                selector.select(millis); // the loop does not run yet: only these connects are registered
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isConnectable()) {
                        LoopSession session = (LoopSession) key.attachment();
                        session.finishConnectAhead();
                        if (!session.connectingAhead()) {
                            pending--;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // the selector failed: what is not connected yet is given up below, and the loop's run fails on it
        }
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i] != null && !sessions[i].connectedAhead()) {
                sessions[i].giveUpAhead();
                sessions[i] = null;
            }
            if (sessions[i] != null) {
                sessions[i].watchIdle();
                arrivals.add(sessions[i]);
            }
        }
        return sessions;
    }

    /** No user will be added any more: {@link #run} returns once the last session has ended. */
    @Override
    public void finish() {
        finishing = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            long nextSweep = System.nanoTime() + sweepPeriodNanos;
            while (true) {
                admitArrivals();
                if (Thread.currentThread().isInterrupted()) {
                    abandonAll();
                    return;
                }
                if (finishing && sessions.isEmpty() && arrivals.isEmpty()) {
                    return;
                }
                driver.turn();
                if (runLater.isEmpty()) {
                    awaitIo(nextSweep - System.nanoTime(), driver.nanosUntilNextTurn());
                } else {
                    selector.selectNow(onReady);
                    runAgain();
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + sweepPeriodNanos;
                }
            }
        } catch (IOException e) {
            abandonAll();
            throw new UncheckedIOException("the event loop's selector failed", e);
        } finally {
            for (SelectionKey key : selector.keys()) { // left open only when a user's callback threw: the run fails
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing is best effort here
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing is registered any more
            }
        }
    }

    /** Waits for I/O until the sweep (to the next whole millisecond) or the driver's turn (to the nanosecond). */
    private void awaitIo(long untilSweepNanos, long untilTurnNanos) throws IOException {
        long sweepMillis = Math.max(1, (untilSweepNanos + 999_999) / 1_000_000);
        if (untilTurnNanos >= sweepMillis * 1_000_000) {
            selector.select(onReady, sweepMillis);
        } else if (untilTurnNanos >= 1_000_000) {
            selector.select(onReady, untilTurnNanos / 1_000_000);
        } else {
            if (untilTurnNanos > 0 && arrivals.isEmpty()) {
                LockSupport.parkNanos(this, untilTurnNanos); // an interrupt (a cancel) ends it too
            }
            selector.selectNow(onReady);
        }
    }

    private void admitArrivals() {
        LoopSession session;
        while ((session = arrivals.poll()) != null) {
            session.index = sessions.size();
            sessions.add(session);
            session.next();
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        LoopSession session = (LoopSession) key.attachment();
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            session.connectable();
        } else if ((ready & SelectionKey.OP_WRITE) != 0) {
            session.write();
        } else if ((ready & SelectionKey.OP_READ) != 0) {
            session.readable();
        }
    }

    private void runAgain() {
        for (int i = runLater.size(); i > 0; i--) { // only those queued before this turn: a failing one waits for the next
            runLater.poll().next();
        }
    }

    private void sweep(long now) {
        for (int i = 0; i < sessions.size(); i++) {
            sessions.get(i).timeOutIfPast(now);
        }
    }

    private void abandonAll() {
        runLater.clear();
        while (!sessions.isEmpty()) {
            sessions.getLast().abandon();
        }
        LoopSession session;
        while ((session = arrivals.poll()) != null) {
            session.index = -1;
            session.abandon();
        }
    }

    // What the sessions ask of their loop.

    SelectionKey register(SocketChannel channel, int ops, LoopSession session) throws ClosedChannelException {
        return channel.register(selector, ops, session);
    }

    void runLater(LoopSession session) {
        runLater.add(session);
    }

    /** Removes an ended session from the list (the last one takes its place). */
    void ended(LoopSession session) {
        int index = session.index;
        if (index < 0) {
            return;
        }
        LoopSession last = sessions.removeLast();
        if (last != session) {
            sessions.set(index, last);
            last.index = index;
        }
        session.index = -1;
    }

    ByteBuffer requestFrom(int offset) {
        return request.limit(request.capacity()).position(offset);
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** The first {@code n} bytes of the read buffer, copied where the parser reads them. */
    byte[] readBytes(int n) {
        readBuffer.get(0, readBytes, 0, n);
        return readBytes;
    }

    /** What every session of this loop sends, where, and how (timeout, keep-alive, HEAD). */
    Http1Transport transport() {
        return transport;
    }
}
