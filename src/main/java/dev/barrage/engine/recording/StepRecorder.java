package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The counts and latencies of one step of a multi-step test, beside the run's totals. Its
 * histograms keep 2 significant digits (1 % resolution, 27 KB each) where the totals keep 3 (0.1 %,
 * 188 KB each): fifty steps at full precision would hold about 90 MB per run. HdrHistogram's packed
 * histograms would be smaller still, but their concurrent form was seen to spin for ever in a
 * resize under concurrent writers, which would hang the run.
 *
 * <p>Thread-safety: as {@link RunRecorder}: any number of writers, one sampler.
 */
final class StepRecorder {

    final StatusRange success;
    final Recorder successLatency = stepRecorder();
    final Recorder failureLatency = stepRecorder();
    final Recorder retractedSuccessLatency = stepRecorder();
    final LongAdder successMicros = new LongAdder();
    final LongAdder failureMicros = new LongAdder();
    final AtomicLongArray statusCounts = new AtomicLongArray(RunRecorder.STATUS_SLOTS);
    final AtomicLongArray errorCounts = new AtomicLongArray(ErrorKind.values().length);

    StepRecorder(StatusRange success) {
        this.success = success;
    }

    private static Recorder stepRecorder() {
        return new Recorder(LatencyScale.LOWEST_MICROS, LatencyScale.HIGHEST_MICROS, LatencyScale.STEP_SIGNIFICANT_DIGITS);
    }
}
