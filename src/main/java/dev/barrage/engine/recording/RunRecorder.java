package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
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

    /** One step per request of a multi-step test; empty for a single request, whose step is the whole run. */
    final StepRecorder[] steps;
    /** Per check: passed at 2i, failed at 2i + 1. */
    final AtomicLongArray checkCounts;
    final LongAdder iterationsStarted = new LongAdder();
    final LongAdder iterationsCompleted = new LongAdder();
    final LongAdder iterationsAborted = new LongAdder();
    final LongAdder iterationsInterrupted = new LongAdder();
    final LongAdder bodiesTooLarge = new LongAdder();

    /** A single-request run: every request is of one step, succeeding when its status is in {@code success}. */
    public RunRecorder(StatusRange success) {
        this(List.of(success), 0);
    }

    /**
     * @param stepSuccess per step that sends a request, the statuses that count as its success
     * @param checkCount  the checks of all steps (captures count as checks: a capture that finds
     *                    nothing is a failed check)
     */
    public RunRecorder(List<StatusRange> stepSuccess, int checkCount) {
        this.success = stepSuccess.getFirst();
        this.steps = new StepRecorder[stepSuccess.size() > 1 ? stepSuccess.size() : 0];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new StepRecorder(stepSuccess.get(i));
        }
        this.checkCounts = new AtomicLongArray(2 * checkCount);
    }

    /** An iteration (one scenario's steps in order) begins. */
    public void iterationStarted() {
        iterationsStarted.increment();
    }

    /** The iteration ran all its steps. */
    public void iterationCompleted() {
        iterationsCompleted.increment();
    }

    /** The iteration stopped early because a capture found nothing (later steps would send garbage). */
    public void iterationAborted() {
        iterationsAborted.increment();
    }

    /** The iteration stopped early because the duration ended or the run was cancelled. */
    public void iterationInterrupted() {
        iterationsInterrupted.increment();
    }

    /** Check {@code check} was evaluated on a response (or on a failed request, where it fails). */
    public void checkEvaluated(int check, boolean passed) {
        checkCounts.incrementAndGet(2 * check + (passed ? 0 : 1));
    }

    /** A response a step reads was larger than the body limit; what it checks or captures saw only the start. */
    public void bodyTooLarge() {
        bodiesTooLarge.increment();
    }

    /** Responses larger than the body limit, of steps that read the body. */
    public long bodiesTooLarge() {
        return bodiesTooLarge.sum();
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
        requestEnded(0, exchange, latencyNanos, serviceNanos, lagNanos);
    }

    /** As {@link #requestEnded(Exchange, long, long, long)}, for the request of step {@code step}. */
    public void requestEnded(int step, Exchange exchange, long latencyNanos, long serviceNanos, long lagNanos) {
        requestEnded(step, exchange.status(), exchange.error(), exchange.bytesSent(), exchange.bytesReceived(),
                latencyNanos, serviceNanos, lagNanos);
    }

    /** As {@link #requestEnded(int, Exchange, long, long, long)}, with the exchange's values: nothing is allocated. */
    public void requestEnded(int step, int status, ErrorKind error, long bytesSent, long bytesReceived,
            long latencyNanos, long serviceNanos, long lagNanos) {
        serviceTime.recordValue(LatencyScale.toMicros(serviceNanos));
        intervalMaxLagNanos.accumulate(lagNanos);
        requestEnded(step, status, error, bytesSent, bytesReceived, latencyNanos);
    }

    /**
     * A response already recorded as {@code exchange} after {@code latencyNanos} proved to be followed
     * by bytes nobody asked for: that request is a PROTOCOL error instead, counted once all the same.
     */
    public void responseRetracted(Exchange exchange, long latencyNanos) {
        responseRetracted(0, exchange, latencyNanos);
    }

    /** As {@link #responseRetracted(Exchange, long)}, for a response to step {@code step}. */
    public void responseRetracted(int step, Exchange exchange, long latencyNanos) {
        responseRetracted(step, exchange.status(), exchange.error(), latencyNanos);
    }

    /** As {@link #responseRetracted(int, Exchange, long)}, with the exchange's status and error. */
    public void responseRetracted(int step, int status, ErrorKind error, long latencyNanos) {
        if (error != null || status < 0 || status >= STATUS_SLOTS) {
            return; // already a failure without a status; its connection was closed with it
        }
        StepRecorder perStep = steps.length == 0 ? null : steps[step];
        StatusRange range = perStep == null ? success : perStep.success;
        errorCounts[ErrorKind.PROTOCOL.ordinal()].increment();
        statusCounts[status].decrement();
        if (perStep != null) {
            perStep.errorCounts.incrementAndGet(ErrorKind.PROTOCOL.ordinal());
            perStep.statusCounts.decrementAndGet(status);
        }
        if (range.contains(status)) {
            long micros = LatencyScale.toMicros(latencyNanos);
            retractedSuccessLatency.recordValue(micros);
            successMicros.add(-micros);
            failureMicros.add(micros);
            if (perStep != null) {
                perStep.retractedSuccessLatency.recordValue(micros);
                perStep.successMicros.add(-micros);
                perStep.failureMicros.add(micros);
            }
        }
    }

    /** The request ended with a response or a failure after {@code latencyNanos}. */
    public void requestEnded(Exchange exchange, long latencyNanos) {
        requestEnded(0, exchange, latencyNanos);
    }

    /** The request of step {@code step} ended with a response or a failure after {@code latencyNanos}. */
    public void requestEnded(int step, Exchange exchange, long latencyNanos) {
        requestEnded(step, exchange.status(), exchange.error(), exchange.bytesSent(), exchange.bytesReceived(), latencyNanos);
    }

    /** As {@link #requestEnded(int, Exchange, long)}, with the exchange's values: nothing is allocated. */
    public void requestEnded(int step, int status, ErrorKind error, long bytesSent, long bytesReceived, long latencyNanos) {
        long micros = LatencyScale.toMicros(latencyNanos);
        StepRecorder perStep = steps.length == 0 ? null : steps[step];
        boolean succeeded = false;
        int errorSlot = -1;
        if (error != null) {
            errorSlot = error.ordinal();
        } else if (status < 0 || status >= STATUS_SLOTS) {
            errorSlot = ErrorKind.PROTOCOL.ordinal();
        } else {
            statusCounts[status].increment();
            succeeded = (perStep == null ? success : perStep.success).contains(status);
            if (perStep != null) {
                perStep.statusCounts.incrementAndGet(status);
            }
        }
        if (errorSlot >= 0) {
            errorCounts[errorSlot].increment();
            if (perStep != null) {
                perStep.errorCounts.incrementAndGet(errorSlot);
            }
        }
        if (succeeded) {
            successLatency.recordValue(micros);
            successMicros.add(micros);
        } else {
            failureLatency.recordValue(micros);
            failureMicros.add(micros);
        }
        if (perStep != null) {
            (succeeded ? perStep.successLatency : perStep.failureLatency).recordValue(micros);
            (succeeded ? perStep.successMicros : perStep.failureMicros).add(micros);
        }
        this.bytesSent.add(bytesSent);
        this.bytesReceived.add(bytesReceived);
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

    /**
     * Starts the maxima (the wait for a connection, the interval's scheduler lag) from 0 again, as a
     * new run's recorder has them. For a recorder reused across loads that do not overlap (the
     * start-up warm-up's slices): a reused recorder's maxima soon stop rising, and code profiled
     * only on maxima that never rise is compiled without that case (docs/performance.md, "A warm-up
     * that looks like a real target"). Call it only while nothing records.
     */
    public void resetMaxima() {
        maxConnectDelayNanos.reset();
        intervalMaxLagNanos.reset();
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

    /** The running totals now, for a shipment; {@code intervalMaxLagNanos} is the interval's lag as the sampler read it. */
    RecorderTotals totals(long intervalMaxLagNanos) {
        RecorderTotals.StepTotals[] stepTotals = new RecorderTotals.StepTotals[steps.length];
        for (int i = 0; i < steps.length; i++) {
            StepRecorder step = steps[i];
            stepTotals[i] = new RecorderTotals.StepTotals(step.successMicros.sum(), step.failureMicros.sum(),
                    sparse(step.statusCounts), longs(step.errorCounts));
        }
        long[] statuses = new long[STATUS_SLOTS];
        for (int status = 0; status < STATUS_SLOTS; status++) {
            statuses[status] = statusCounts[status].sum();
        }
        long[] errors = new long[errorCounts.length];
        for (int kind = 0; kind < errors.length; kind++) {
            errors[kind] = errorCounts[kind].sum();
        }
        return new RecorderTotals(successMicros.sum(), failureMicros.sum(), sparse(new AtomicLongArray(statuses)), errors,
                bytesSent.sum(), bytesReceived.sum(), inFlight.sum(), aborted.sum(), delayed.sum(), connectDelayed.sum(),
                dropped.sum(), maxConnectDelayNanos.get(), intervalMaxLagNanos, inFlightAtDurationEnd, longs(checkCounts),
                iterationsStarted.sum(), iterationsCompleted.sum(), iterationsAborted.sum(), iterationsInterrupted.sum(),
                bodiesTooLarge.sum(), stepTotals);
    }

    /**
     * Adds what another generator recorded in one interval: its histograms value by value (each
     * bucket's value lands in the same bucket here, the scales being the same), and the difference
     * between its totals and {@code before}, its totals at its previous shipment.
     */
    void absorb(IntervalShipment shipment, RecorderTotals before) {
        RecorderTotals now = shipment.totals();
        if (now.steps().length != steps.length || before.steps().length != steps.length
                || shipment.stepSuccess().length != steps.length || now.checkCounts().length != checkCounts.length()
                || now.errorCounts().length != errorCounts.length) {
            throw new IllegalArgumentException("the shipment is of another plan (steps, checks or error kinds differ)");
        }
        // decoded first, all of them: a shipment that does not decode changes nothing
        Histogram success = decode(shipment.success());
        Histogram failure = decode(shipment.failure());
        Histogram service = decode(shipment.service());
        Histogram retracted = decode(shipment.retracted());
        Histogram[][] stepHistograms = new Histogram[steps.length][];
        for (int i = 0; i < steps.length; i++) {
            stepHistograms[i] = new Histogram[] {decode(shipment.stepSuccess()[i]), decode(shipment.stepFailure()[i]),
                    decode(shipment.stepRetracted()[i])};
        }
        addTo(successLatency, success);
        addTo(failureLatency, failure);
        addTo(serviceTime, service);
        addTo(retractedSuccessLatency, retracted);
        successMicros.add(now.successMicros() - before.successMicros());
        failureMicros.add(now.failureMicros() - before.failureMicros());
        addDifference(statusCounts, now.statusCounts(), before.statusCounts());
        for (int kind = 0; kind < errorCounts.length; kind++) {
            errorCounts[kind].add(now.errorCounts()[kind] - before.errorCounts()[kind]);
        }
        bytesSent.add(now.bytesSent() - before.bytesSent());
        bytesReceived.add(now.bytesReceived() - before.bytesReceived());
        inFlight.add(now.inFlight() - before.inFlight());
        aborted.add(now.aborted() - before.aborted());
        delayed.add(now.delayed() - before.delayed());
        connectDelayed.add(now.connectDelayed() - before.connectDelayed());
        dropped.add(now.dropped() - before.dropped());
        maxConnectDelayNanos.accumulate(now.maxConnectDelayNanos());
        if (now.inFlightAtDurationEnd() >= 0 && before.inFlightAtDurationEnd() < 0) {
            // each generator's duration ends once: the run's requests in flight then are their sum
            inFlightAtDurationEnd = Math.max(inFlightAtDurationEnd, 0) + now.inFlightAtDurationEnd();
        }
        intervalMaxLagNanos.accumulate(now.intervalMaxLagNanos());
        for (int i = 0; i < checkCounts.length(); i++) {
            checkCounts.addAndGet(i, now.checkCounts()[i] - before.checkCounts()[i]);
        }
        iterationsStarted.add(now.iterationsStarted() - before.iterationsStarted());
        iterationsCompleted.add(now.iterationsCompleted() - before.iterationsCompleted());
        iterationsAborted.add(now.iterationsAborted() - before.iterationsAborted());
        iterationsInterrupted.add(now.iterationsInterrupted() - before.iterationsInterrupted());
        bodiesTooLarge.add(now.bodiesTooLarge() - before.bodiesTooLarge());
        for (int i = 0; i < steps.length; i++) {
            StepRecorder step = steps[i];
            RecorderTotals.StepTotals stepNow = now.steps()[i];
            RecorderTotals.StepTotals stepBefore = before.steps()[i];
            addTo(step.successLatency, stepHistograms[i][0]);
            addTo(step.failureLatency, stepHistograms[i][1]);
            addTo(step.retractedSuccessLatency, stepHistograms[i][2]);
            step.successMicros.add(stepNow.successMicros() - stepBefore.successMicros());
            step.failureMicros.add(stepNow.failureMicros() - stepBefore.failureMicros());
            addDifference(step.statusCounts, stepNow.statusCounts(), stepBefore.statusCounts());
            for (int kind = 0; kind < step.errorCounts.length(); kind++) {
                step.errorCounts.addAndGet(kind, stepNow.errorCounts()[kind] - stepBefore.errorCounts()[kind]);
            }
        }
    }

    /** The steps and check counters this recorder has, for an empty baseline of the same shape. */
    RecorderTotals emptyTotals() {
        return RecorderTotals.none(steps.length, checkCounts.length(), errorCounts.length);
    }

    private static Histogram decode(byte[] encoded) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("a shipped histogram does not decode: " + e.getMessage(), e);
        }
    }

    private static void addTo(Recorder recorder, Histogram histogram) {
        for (HistogramIterationValue value : histogram.recordedValues()) {
            // any value of the bucket lands in the same bucket here; its lowest is always within the range
            recorder.recordValueWithCount(histogram.lowestEquivalentValue(value.getValueIteratedTo()),
                    value.getCountAtValueIteratedTo());
        }
    }

    private static void addDifference(LongAdder[] counts, long[] nowPairs, long[] beforePairs) {
        for (int i = 0; i < nowPairs.length; i += 2) {
            counts[(int) nowPairs[i]].add(nowPairs[i + 1]);
        }
        for (int i = 0; i < beforePairs.length; i += 2) {
            counts[(int) beforePairs[i]].add(-beforePairs[i + 1]);
        }
    }

    private static void addDifference(AtomicLongArray counts, long[] nowPairs, long[] beforePairs) {
        for (int i = 0; i < nowPairs.length; i += 2) {
            counts.addAndGet((int) nowPairs[i], nowPairs[i + 1]);
        }
        for (int i = 0; i < beforePairs.length; i += 2) {
            counts.addAndGet((int) beforePairs[i], -beforePairs[i + 1]);
        }
    }

    /** Non-zero counts as pairs [index, count, ...]. */
    private static long[] sparse(AtomicLongArray counts) {
        int nonZero = 0;
        for (int i = 0; i < counts.length(); i++) {
            nonZero += counts.get(i) != 0 ? 1 : 0;
        }
        long[] pairs = new long[2 * nonZero];
        int at = 0;
        for (int i = 0; i < counts.length() && at < pairs.length; i++) {
            long count = counts.get(i);
            if (count != 0) {
                pairs[at++] = i;
                pairs[at++] = count;
            }
        }
        return pairs;
    }

    private static long[] longs(AtomicLongArray counts) {
        long[] values = new long[counts.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts.get(i);
        }
        return values;
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
