package dev.barrage.engine;

import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.concurrent.atomic.AtomicLong;

/** A transport that answers from a script instead of a socket and counts what it was asked to send. */
final class FakeTransport implements Transport {

    @FunctionalInterface
    interface Script {
        Exchange answer(long requestNumber) throws InterruptedException;
    }

    private final Script script;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong sessionsOpened = new AtomicLong();
    final AtomicLong sessionsClosed = new AtomicLong();

    FakeTransport(Script script) {
        this.script = script;
    }

    @Override
    public TransportSession openSession() {
        sessionsOpened.incrementAndGet();
        return new TransportSession() {
            @Override
            public Exchange execute() throws InterruptedException {
                return script.answer(sent.incrementAndGet());
            }

            @Override
            public void close() {
                sessionsClosed.incrementAndGet();
            }
        };
    }
}
