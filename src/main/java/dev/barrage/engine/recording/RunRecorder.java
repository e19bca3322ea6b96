package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counts and latencies of one run, written on the hot path.
 *
 * <p>Thread-safety: any number of workers write concurrently without locks (HdrHistogram
 * {@link Recorder}s are wait-free for writers, counters are {@link LongAdder}s). Exactly one
 * {@link RunSampler}, on the aggregation lane, reads it.
 */
public final class RunRecorder {

    static final int STATUS_SLOTS = 1000;

    private final StatusRange success;
    final Recorder successLatency = LatencyScale.newRecorder();
    final Recorder failureLatency = LatencyScale.newRecorder();
    final Recorder serviceTime = LatencyScale.newRecorder();
    final LongAdder successMicros = new LongAdder();
    final LongAdder failureMicros = new LongAdder();
    final LongAdder[] statusCounts = newAdders(STATUS_SLOTS);
    final LongAdder[] errorCounts = newAdders(ErrorKind.values().length);
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder inFlight = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAccumulator intervalMaxLagNanos = new LongAccumulator(Math::max, 0);

    public RunRecorder(StatusRange success) {
        this.success = success;
    }

    /** A request is about to be sent. Every call is matched by {@link #requestEnded} or {@link #requestAborted}. */
    public void requestStarted() {
        inFlight.increment();
    }

    /** The request was abandoned because the run was cancelled; it is not counted as a request. */
    public void requestAborted() {
        inFlight.decrement();
        aborted.increment();
    }

    /** A due request found every allowed worker busy and will start late (open model). */
    public void requestDelayed() {
        delayed.increment();
    }

    /**
     * An open-model request ended: {@code latencyNanos} from when it was due, {@code serviceNanos}
     * from when it was actually sent, which was {@code lagNanos} after it was due.
     */
    public void requestEnded(Exchange exchange, long latencyNanos, long serviceNanos, long lagNanos) {
        serviceTime.recordValue(LatencyScale.toMicros(serviceNanos));
        intervalMaxLagNanos.accumulate(lagNanos);
        requestEnded(exchange, latencyNanos);
    }

    /** The request ended with a response or a failure after {@code latencyNanos}. */
    public void requestEnded(Exchange exchange, long latencyNanos) {
        long micros = LatencyScale.toMicros(latencyNanos);
        boolean succeeded = false;
        if (exchange.error() != null) {
            errorCounts[exchange.error().ordinal()].increment();
        } else if (exchange.status() < 0 || exchange.status() >= STATUS_SLOTS) {
            errorCounts[ErrorKind.PROTOCOL.ordinal()].increment();
        } else {
            statusCounts[exchange.status()].increment();
            succeeded = success.contains(exchange.status());
        }
        if (succeeded) {
            successLatency.recordValue(micros);
            successMicros.add(micros);
        } else {
            failureLatency.recordValue(micros);
            failureMicros.add(micros);
        }
        bytesSent.add(exchange.bytesSent());
        bytesReceived.add(exchange.bytesReceived());
        inFlight.decrement();
    }

    public long inFlight() {
        return inFlight.sum();
    }

    /** Requests that started late because every allowed worker was busy. */
    public long delayed() {
        return delayed.sum();
    }

    /** Requests abandoned by cancellation so far. */
    public long aborted() {
        return aborted.sum();
    }

    StatusRange successRange() {
        return success;
    }

    private static LongAdder[] newAdders(int size) {
        LongAdder[] adders = new LongAdder[size];
        for (int i = 0; i < size; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
