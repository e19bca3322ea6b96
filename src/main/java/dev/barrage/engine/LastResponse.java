package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
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
    private Exchange exchange;
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
        this.step = step;
        this.exchange = exchange;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public void lastResponseFollowedByStrayBytes() {
        if (exchange != null) {
            recorder.responseRetracted(step, exchange, latencyNanos);
            exchange = null;
        }
    }
}
