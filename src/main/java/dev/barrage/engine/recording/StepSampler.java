package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Folds one {@link StepRecorder} into the step's cumulative figures at each sample, as
 * {@link RunSampler} does for the run's totals.
 *
 * <p>Thread-safety: used only under its {@link RunSampler}'s lock.
 */
final class StepSampler {

    private final StepRecorder recorder;
    private Histogram successInterval;
    private Histogram failureInterval;
    private Histogram retractedInterval;
    final Histogram interval = stepHistogram();
    final Histogram all = stepHistogram();
    private final Histogram success = stepHistogram();
    private final Histogram failure = stepHistogram();
    long requests;
    long successes;
    Map<String, Long> statusCodes = Map.of();
    Map<String, Long> errors = Map.of();
    long previousRequests;
    long previousFailures;

    StepSampler(StepRecorder recorder) {
        this.recorder = recorder;
    }

    /** Takes the step's interval and recounts its totals. */
    void sample() {
        retractedInterval = recorder.retractedSuccessLatency.getIntervalHistogram(retractedInterval);
        successInterval = recorder.successLatency.getIntervalHistogram(successInterval);
        failureInterval = recorder.failureLatency.getIntervalHistogram(failureInterval);
        success.add(successInterval);
        success.subtract(retractedInterval);
        failure.add(failureInterval);
        failure.add(retractedInterval);
        all.add(successInterval);
        all.add(failureInterval);
        interval.add(successInterval);
        interval.add(failureInterval);

        Map<String, Long> statuses = new LinkedHashMap<>();
        long responses = 0;
        long succeeded = 0;
        for (int status = 0; status < RunRecorder.STATUS_SLOTS; status++) {
            long count = recorder.statusCounts.get(status);
            if (count > 0) {
                statuses.put(Integer.toString(status), count);
                responses += count;
                if (recorder.success.contains(status)) {
                    succeeded += count;
                }
            }
        }
        Map<String, Long> kinds = new LinkedHashMap<>();
        long transportFailures = 0;
        for (ErrorKind kind : ErrorKind.values()) {
            long count = recorder.errorCounts.get(kind.ordinal());
            if (count > 0) {
                kinds.put(kind.name(), count);
                transportFailures += count;
            }
        }
        requests = responses + transportFailures;
        successes = succeeded;
        statusCodes = Collections.unmodifiableMap(statuses);
        errors = Collections.unmodifiableMap(kinds);
    }

    Histogram successInterval() {
        return successInterval;
    }

    Histogram failureInterval() {
        return failureInterval;
    }

    Histogram retractedInterval() {
        return retractedInterval;
    }

    StepBuckets buckets() {
        return new StepBuckets(PrometheusBuckets.of(success, recorder.successMicros.sum()),
                PrometheusBuckets.of(failure, recorder.failureMicros.sum()));
    }

    static Histogram stepHistogram() {
        return new Histogram(LatencyScale.LOWEST_MICROS, LatencyScale.HIGHEST_MICROS, LatencyScale.STEP_SIGNIFICANT_DIGITS);
    }
}
