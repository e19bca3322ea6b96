package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One user's connection on an {@link EventLoop}: a state machine for the exchanges a blocking
 * {@link Http1Session} runs on a thread, with the same rules. A request is written once; a
 * connection that fails after the write fails that request, and the next one connects anew; the
 * connect counts into the request's deadline; the response is parsed by {@link ResponseParser} as
 * it arrives; a keep-alive connection is reused at once (so it is not probed, as in
 * {@link Http1Session}), and probed for bytes nobody asked for before it is closed at the end. While
 * it waits, a session holds its channel, its key and its parser, and no thread and no buffer. A
 * session whose user chose to {@link LoopUser.Next#WAIT wait} keeps its connection watched for
 * reading: one the peer closes meanwhile is dropped at once and replaced when the session resumes
 * (an idle timeout costs no failure), and bytes nobody asked for close it and are charged to the
 * response they followed, as {@link Http1Session}'s probe does before it reuses an idle connection.
 *
 * <p>Thread-safety: confined to its loop's thread.
 */
final class LoopSession implements LoopHandle {

    private static final long IDLE = Long.MAX_VALUE;

    private final EventLoop loop;
    private final LoopUser user;
    private final ResponseParser parser = new ResponseParser();
    private SocketChannel channel;
    private SelectionKey key;
    private long deadlineNanos = IDLE;
    private boolean connecting;
    private boolean waiting;
    private int written;
    int index; // in the loop's session list

    LoopSession(EventLoop loop, LoopUser user) {
        this.loop = loop;
        this.user = user;
    }

    /**
     * A session whose connection is begun now, ahead of its user's first request; {@link EventLoop#addConnected}
     * waits for it ({@link #finishConnectAhead}) and gives it up if it is not connected in time. Once
     * handed to the loop it is watched for reading as a waiting session's is (a peer that closes it meanwhile
     * costs no failure: the next request opens a new one). Null when it could not even be begun. A
     * connection not opened ahead is not counted: nothing was sent; a request that finds no
     * connection opens its own, and its failure is counted then.
     */
    static LoopSession connectAhead(EventLoop loop, LoopUser user) {
        LoopSession session = new LoopSession(loop, user);
        try {
            boolean connected = session.beginConnect();
            session.connecting = !connected;
            session.key = loop.register(session.channel, connected ? 0 : SelectionKey.OP_CONNECT, session);
            return session;
        } catch (IOException | RuntimeException e) {
            session.closeChannel();
            return null;
        }
    }

    boolean connectingAhead() {
        return connecting;
    }

    boolean connectedAhead() {
        return channel != null && !connecting;
    }

    /**
     * The connect begun ahead may have ended: connected, the session waits, watching nothing until it
     * is handed to the loop ({@link #watchIdle}), so that bytes or a close on it cannot wake the wait
     * for the other connects again and again; failed, it is closed.
     */
    void finishConnectAhead() {
        try {
            if (channel.finishConnect()) {
                connecting = false;
                key.interestOps(0);
            }
        } catch (IOException e) {
            closeChannel();
        }
    }

    /** Connected ahead and handed to the loop: watched for reading, as a waiting session is. */
    void watchIdle() {
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Not connected in time: closed, never used. */
    void giveUpAhead() {
        closeChannel();
    }

    /** Whether an exchange is under way (between {@link LoopUser#nextRequest()} and its end). */
    boolean inFlight() {
        return deadlineNanos != IDLE;
    }

    /**
     * Asks the user for its next request and sends it. A failure found at once (a refused connect)
     * ends the exchange and leaves the session for the loop to run again on its next turn, so one
     * failing user cannot spin the loop.
     *
     * @return false when the user ended the session (it is closed now)
     */
    boolean next() {
        switch (user.nextRequest()) {
            case END -> {
                end();
                return false;
            }
            case WAIT -> {
                waiting = true;
                return true;
            }
            case SEND -> waiting = false;
        }
        deadlineNanos = System.nanoTime() + loop.transport().timeoutNanos();
        written = 0;
        parser.start(loop.transport().headRequest());
        if (channel == null) {
            connect();
        } else {
            write();
        }
        return true;
    }

    @Override
    public void resume() {
        if (waiting && index >= 0) {
            next();
        }
    }

    private void connect() {
        try {
            if (beginConnect()) {
                key = loop.register(channel, 0, this);
                user.connected();
                write();
            } else {
                connecting = true;
                key = loop.register(channel, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            failed(new ConnectFailedException(e instanceof IOException io ? io : new IOException(e)));
        }
    }

    /** Opens the channel, unless the target policy forbids the address, and begins its connect; true when it connected at once. */
    private boolean beginConnect() throws IOException {
        Connector connector = loop.transport().connector();
        Endpoint endpoint = connector.endpoint();
        InetAddress address = InetAddress.getByName(endpoint.host()); // the JVM's cache answers all but the first
        if (!connector.policy().allows(endpoint.host(), address)) {
            throw new TargetNotAllowedException(endpoint.host(), address.getHostAddress());
        }
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // the request goes out in one write
        return channel.connect(new InetSocketAddress(address, endpoint.port()));
    }

    /** The channel may be connected now. */
    void connectable() {
        try {
            if (channel.finishConnect()) {
                connecting = false;
                user.connected();
                write();
            }
        } catch (IOException e) {
            failed(new ConnectFailedException(e));
        }
    }

    /** Writes what is left of the request; waits for room in the socket's buffer when it is full. */
    void write() {
        try {
            ByteBuffer request = loop.requestFrom(written);
            written += channel.write(request);
            if (written < request.limit()) {
                key.interestOps(SelectionKey.OP_WRITE);
            } else {
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            // a channel reports a peer gone mid-write ("Broken pipe") as a plain IOException
            failed(e instanceof SocketException ? e : new SocketException(e.getMessage()));
        }
    }

    /** Bytes of the response (or the peer's close) arrived. */
    void readable() {
        if (!inFlight()) {
            idleReadable();
            return;
        }
        try {
            ByteBuffer buffer = loop.readBuffer();
            int n = channel.read(buffer.clear());
            boolean complete;
            if (n < 0) {
                complete = parser.endOfStream();
            } else if (n == 0) {
                return;
            } else {
                complete = parser.feed(loop.readBytes(n), 0, n);
            }
            if (complete) {
                responded();
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    /** The peer closed a waiting session's connection, or sent what nobody asked for: it is dropped. */
    private void idleReadable() {
        int n;
        try {
            n = channel.read(loop.readBuffer().clear());
        } catch (IOException e) {
            n = -1; // reset while idle: nothing to charge
        }
        if (n == 0) {
            return;
        }
        if (n > 0) {
            user.lastResponseFollowedByStrayBytes();
        }
        closeChannel();
    }

    /** Called by the loop's sweep: ends the exchange as timed out when it has run past its deadline. */
    void timeOutIfPast(long nowNanos) {
        if (deadlineNanos != IDLE && nowNanos - deadlineNanos > 0) {
            failed(connecting ? new ConnectFailedException(new SocketTimeoutException("connect timed out"))
                    : new SocketTimeoutException("exchange did not finish before the deadline"));
        }
    }

    private void responded() {
        deadlineNanos = IDLE;
        if (!loop.transport().keepAlive() || !parser.reusable()) {
            closeChannel();
        }
        user.exchangeEnded(parser.status(), null, written, parser.bytesRead());
        next();
    }

    private void failed(IOException e) {
        ErrorKind error = FailureClassifier.classify(e);
        deadlineNanos = IDLE;
        closeChannel();
        user.exchangeEnded(0, error, written, parser.bytesRead());
        loop.runLater(this);
    }

    /** The run was cancelled: an exchange in flight is abandoned uncounted, and the session closes. */
    void abandon() {
        if (inFlight()) {
            deadlineNanos = IDLE;
            closeChannel();
            user.exchangeAbandoned();
        }
        end();
    }

    /** Closes for good, after a last look for bytes nobody asked for on the idle connection. */
    private void end() {
        if (channel != null && !probeIdle()) {
            user.lastResponseFollowedByStrayBytes();
        }
        closeChannel();
        loop.ended(this);
    }

    /** @return false when bytes nobody asked for wait on the idle connection */
    private boolean probeIdle() {
        try {
            return channel.read(loop.readBuffer().clear()) <= 0;
        } catch (IOException e) {
            return true; // reset while idle: nothing to charge
        }
    }

    private void closeChannel() {
        connecting = false;
        if (channel == null) {
            return;
        }
        try {
            channel.close(); // cancels the key
        } catch (IOException ignored) {
            // the connection is abandoned either way
        }
        channel = null;
        key = null;
    }
}
