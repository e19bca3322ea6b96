package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.StrayBytesListener;

/**
 * The exchange a worker recorded last, so that when bytes nobody asked for turn up after its
 * response, that response is retracted as a protocol error (counted once, never blamed on the
 * next request).
 *
 * <p>Thread-safety: confined to the worker's thread, like the session that calls it back.
 */
final class LastResponse implements StrayBytesListener {

    private final RunRecorder recorder;
    private boolean held;
    private int status;
    private ErrorKind error;
    private int step;
    private long latencyNanos;

    LastResponse(RunRecorder recorder) {
        this.recorder = recorder;
    }

    /** The worker recorded {@code exchange} with {@code latencyNanos}. */
    void recorded(Exchange exchange, long latencyNanos) {
        recorded(0, exchange, latencyNanos);
    }

    /** The worker recorded {@code exchange} of request step {@code step} with {@code latencyNanos}. */
    void recorded(int step, Exchange exchange, long latencyNanos) {
        recorded(step, exchange.status(), exchange.error(), latencyNanos);
    }

    /** As {@link #recorded(int, Exchange, long)}, with the exchange's status and error: the loops' users keep no record. */
    void recorded(int step, int status, ErrorKind error, long latencyNanos) {
        this.held = true;
        this.step = step;
        this.status = status;
        this.error = error;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public void lastResponseFollowedByStrayBytes() {
        if (held) {
            recorder.responseRetracted(step, status, error, latencyNanos);
            held = false;
        }
    }
}
