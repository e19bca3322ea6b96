package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The counts and latencies of one step of a multi-step test, beside the run's totals. Histograms
 * are packed (memory follows the values seen, not the range): fifty steps of full-range histograms
 * would hold tens of megabytes per run.
 *
 * <p>Thread-safety: as {@link RunRecorder}: any number of writers, one sampler.
 */
final class StepRecorder {

    final StatusRange success;
    final Recorder successLatency = packedRecorder();
    final Recorder failureLatency = packedRecorder();
    final Recorder retractedSuccessLatency = packedRecorder();
    final LongAdder successMicros = new LongAdder();
    final LongAdder failureMicros = new LongAdder();
    final AtomicLongArray statusCounts = new AtomicLongArray(RunRecorder.STATUS_SLOTS);
    final AtomicLongArray errorCounts = new AtomicLongArray(ErrorKind.values().length);

    StepRecorder(StatusRange success) {
        this.success = success;
    }

    private static Recorder packedRecorder() {
        return new Recorder(LatencyScale.SIGNIFICANT_DIGITS, true);
    }
}
