package dev.barrage.engine.recording;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A generator's side of a distributed run: adds up the interval histograms its sampler takes until
 * the interval closes, then encodes them (compressed) with the recorder's running totals into one
 * {@link IntervalShipment}. Samples that do not close an interval (an on-demand refresh) are kept
 * for the next shipment, so every recorded value is shipped exactly once.
 *
 * <p>Thread-safety: used only under its {@link RunSampler}'s lock.
 */
final class ShipmentBuffer {

    private final Histogram success = LatencyScale.newHistogram();
    private final Histogram failure = LatencyScale.newHistogram();
    private final Histogram service = LatencyScale.newHistogram();
    private final Histogram retracted = LatencyScale.newHistogram();
    private final Histogram[] stepSuccess;
    private final Histogram[] stepFailure;
    private final Histogram[] stepRetracted;
    private final List<IntervalShipment> ready = new ArrayList<>();
    private long sequence;

    ShipmentBuffer(int steps) {
        stepSuccess = stepHistograms(steps);
        stepFailure = stepHistograms(steps);
        stepRetracted = stepHistograms(steps);
    }

    void add(Histogram successInterval, Histogram failureInterval, Histogram serviceInterval, Histogram retractedInterval) {
        success.add(successInterval);
        failure.add(failureInterval);
        service.add(serviceInterval);
        retracted.add(retractedInterval);
    }

    void addStep(int step, Histogram successInterval, Histogram failureInterval, Histogram retractedInterval) {
        stepSuccess[step].add(successInterval);
        stepFailure[step].add(failureInterval);
        stepRetracted[step].add(retractedInterval);
    }

    /** Closes the interval: its shipment joins those ready to be taken. */
    void ship(long elapsedNanos, RecorderTotals totals) {
        ready.add(new IntervalShipment(++sequence, elapsedNanos, encode(success), encode(failure), encode(service),
                encode(retracted), encodeAll(stepSuccess), encodeAll(stepFailure), encodeAll(stepRetracted), totals));
    }

    List<IntervalShipment> drain() {
        List<IntervalShipment> taken = List.copyOf(ready);
        ready.clear();
        return taken;
    }

    /** The histogram's compressed encoding; the histogram is emptied for the next interval. */
    private static byte[] encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        histogram.reset();
        return Arrays.copyOf(buffer.array(), length);
    }

    private static byte[][] encodeAll(Histogram[] histograms) {
        byte[][] encoded = new byte[histograms.length][];
        for (int i = 0; i < histograms.length; i++) {
            encoded[i] = encode(histograms[i]);
        }
        return encoded;
    }

    private static Histogram[] stepHistograms(int steps) {
        Histogram[] histograms = new Histogram[steps];
        for (int i = 0; i < steps; i++) {
            histograms[i] = StepSampler.stepHistogram();
        }
        return histograms;
    }
}
