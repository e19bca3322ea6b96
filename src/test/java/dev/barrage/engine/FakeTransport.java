package dev.barrage.engine;

import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.StrayBytesListener;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.concurrent.atomic.AtomicLong;

/** A transport that answers from a script instead of a socket and counts what it was asked to send. */
final class FakeTransport implements Transport {

    @FunctionalInterface
    interface Script {
        Exchange answer(long requestNumber) throws InterruptedException;
    }

    /** Whether a closing session (numbered from 1) finds bytes nobody asked for after its last response. */
    @FunctionalInterface
    interface StrayBytesOnClose {
        boolean found(long sessionNumber);
    }

    /** What a session's pre-connect does (blocks, or moves a fake clock); nothing by default. */
    @FunctionalInterface
    interface Connect {
        void run() throws InterruptedException;
    }

    private volatile Connect connect = () -> { };
    final AtomicLong connects = new AtomicLong();

    FakeTransport connecting(Connect behaviour) {
        this.connect = behaviour;
        return this;
    }

    FakeTransport strayBytesOnClose(StrayBytesOnClose rule) {
        this.strayBytesOnClose = rule;
        return this;
    }

    private final Script script;
    private volatile StrayBytesOnClose strayBytesOnClose = session -> false;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong sessionsOpened = new AtomicLong();
    final AtomicLong sessionsClosed = new AtomicLong();

    FakeTransport(Script script) {
        this.script = script;
    }

    @Override
    public TransportSession openSession(StrayBytesListener strayBytes) {
        long number = sessionsOpened.incrementAndGet();
        return new TransportSession() {
            @Override
            public Exchange execute() throws InterruptedException {
                return script.answer(sent.incrementAndGet());
            }

            @Override
            public void connect() throws InterruptedException {
                connects.incrementAndGet();
                connect.run();
            }

            @Override
            public void close() {
                if (strayBytesOnClose.found(number)) {
                    strayBytes.lastResponseFollowedByStrayBytes();
                }
                sessionsClosed.incrementAndGet();
            }
        };
    }
}
