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
    /** Latencies of successes that proved to be protocol errors: moved from the success to the failure histograms. */
    final Recorder retractedSuccessLatency = LatencyScale.newRecorder();
    final LongAdder successMicros = new LongAdder();
    final LongAdder failureMicros = new LongAdder();
    final LongAdder[] statusCounts = newAdders(STATUS_SLOTS);
    final LongAdder[] errorCounts = newAdders(ErrorKind.values().length);
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder inFlight = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder delayed = new LongAdder();
    final LongAdder connectDelayed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    private volatile long inFlightAtDurationEnd = -1;
    final LongAccumulator intervalMaxLagNanos = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxConnectDelayNanos = new LongAccumulator(Math::max, 0);

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
     * A due request waited for a connection to the target to be set up and starts {@code lateNanos}
     * after it was due (open model).
     */
    public void requestConnectDelayed(long lateNanos) {
        connectDelayed.increment();
        maxConnectDelayNanos.accumulate(lateNanos);
    }

    /** Requests that were due before the end of the duration but could not start by then (open model). */
    public void requestsDropped(long count) {
        dropped.add(count);
    }

    /** The duration is over: no request starts any more; those in flight now are awaited. */
    public void durationEnded() {
        if (inFlightAtDurationEnd < 0) {
            inFlightAtDurationEnd = inFlight.sum();
        }
    }

    /**
     * An open-model request ended: {@code latencyNanos} from when it was due, {@code serviceNanos}
     * from when it was actually sent, which was {@code lagNanos} after it was due through the
     * generator's own lateness (0 when it was held back for a counted reason: delayed, connect-delayed).
     */
    public void requestEnded(Exchange exchange, long latencyNanos, long serviceNanos, long lagNanos) {
        serviceTime.recordValue(LatencyScale.toMicros(serviceNanos));
        intervalMaxLagNanos.accumulate(lagNanos);
        requestEnded(exchange, latencyNanos);
    }

    /**
     * A response already recorded as {@code exchange} after {@code latencyNanos} proved to be followed
     * by bytes nobody asked for: that request is a PROTOCOL error instead, counted once all the same.
     */
    public void responseRetracted(Exchange exchange, long latencyNanos) {
        if (exchange.error() != null || exchange.status() < 0 || exchange.status() >= STATUS_SLOTS) {
            return; // already a failure without a status; its connection was closed with it
        }
        errorCounts[ErrorKind.PROTOCOL.ordinal()].increment();
        statusCounts[exchange.status()].decrement();
        if (success.contains(exchange.status())) {
            long micros = LatencyScale.toMicros(latencyNanos);
            retractedSuccessLatency.recordValue(micros);
            successMicros.add(-micros);
            failureMicros.add(micros);
        }
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

    /** Requests that started late because they waited for a connection to be set up (open model). */
    public long connectDelayed() {
        return connectDelayed.sum();
    }

    /** The most a request started late because it waited for a connection (open model). */
    public long maxConnectDelayNanos() {
        return maxConnectDelayNanos.get();
    }

    /** Requests due before the end of the duration that could not start by then (open model). */
    public long dropped() {
        return dropped.sum();
    }

    /** Requests in flight when the duration ended (awaited after it), or -1 before that. */
    public long inFlightAtDurationEnd() {
        return inFlightAtDurationEnd;
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
