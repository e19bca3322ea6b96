package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Turns a {@link RunRecorder} into immutable {@link RunSnapshot}s: swaps the interval histograms
 * (writers are never blocked), folds them into the run's cumulative ones and computes percentiles.
 *
 * <p>Thread-safety: called only from the aggregation lane; {@link #sample} is synchronized because a
 * once-a-second tick and the final sample of the same run may run on two lane threads.
 */
public final class RunSampler {

    private final RunRecorder recorder;
    private final OpenPlan openPlan;
    private Histogram successInterval;
    private Histogram failureInterval;
    private Histogram serviceInterval;
    private Histogram retractedInterval;
    private final Histogram interval = LatencyScale.newHistogram();
    private final Histogram successTotal = LatencyScale.newHistogram();
    private final Histogram failureTotal = LatencyScale.newHistogram();
    private final Histogram allTotal = LatencyScale.newHistogram();
    private final Histogram serviceTotal = LatencyScale.newHistogram();
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private long previousRequests;
    private long previousFailures;
    private long previousDelayed;
    private long previousConnectDelayed;
    private long previousDropped;
    private long previousElapsedNanos;

    /** A closed-model run's sampler. */
    public RunSampler(RunRecorder recorder) {
        this(recorder, null);
    }

    /** @param openPlan the plan of an open-model run, null for the closed model */
    public RunSampler(RunRecorder recorder, OpenPlan openPlan) {
        this.recorder = recorder;
        this.openPlan = openPlan;
    }

    /**
     * Samples the recorder at {@code elapsedNanos} since the run started.
     *
     * @param closeInterval whether this sample ends a timeline interval (the once-a-second tick and
     *                      the final sample do; an on-demand refresh does not)
     */
    public synchronized RunSnapshot sample(long elapsedNanos, boolean closeInterval) {
        // Retractions first: each one's success was recorded before it, so is in this sample or an earlier one.
        retractedInterval = recorder.retractedSuccessLatency.getIntervalHistogram(retractedInterval);
        successInterval = recorder.successLatency.getIntervalHistogram(successInterval);
        failureInterval = recorder.failureLatency.getIntervalHistogram(failureInterval);
        serviceInterval = recorder.serviceTime.getIntervalHistogram(serviceInterval);
        successTotal.add(successInterval);
        successTotal.subtract(retractedInterval);
        failureTotal.add(failureInterval);
        failureTotal.add(retractedInterval);
        serviceTotal.add(serviceInterval);
        allTotal.add(successInterval);
        allTotal.add(failureInterval);
        interval.add(successInterval);
        interval.add(failureInterval);

        Summary summary = summarize(elapsedNanos);
        long inFlight = recorder.inFlight();
        if (closeInterval && elapsedNanos > previousElapsedNanos) {
            timeline.add(timelinePoint(summary, elapsedNanos, inFlight));
        }
        return new RunSnapshot(summary, List.copyOf(timeline), inFlight,
                PrometheusBuckets.of(successTotal, recorder.successMicros.sum()),
                PrometheusBuckets.of(failureTotal, recorder.failureMicros.sum()));
    }

    private TimelinePoint timelinePoint(Summary summary, long elapsedNanos, long inFlight) {
        long requests = summary.requests() - previousRequests;
        long failures = summary.failures() - previousFailures;
        // a final interval shorter than a second is still one second of the timeline, not a rate spike
        double seconds = Math.max(1.0, (elapsedNanos - previousElapsedNanos) / 1e9);
        long lastT = timeline.isEmpty() ? 0 : timeline.getLast().t();
        long t = Math.max(Math.round(elapsedNanos / 1e9), lastT + 1);
        Double targetRate = null;
        Long delayed = null;
        Double lagMs = null;
        Long connectDelayed = null;
        Long dropped = null;
        if (openPlan != null) {
            targetRate = round3(openPlan.rateBetween(previousElapsedNanos, elapsedNanos));
            delayed = summary.delayed() - previousDelayed;
            previousDelayed = summary.delayed();
            connectDelayed = summary.connectDelayed() - previousConnectDelayed;
            previousConnectDelayed = summary.connectDelayed();
            dropped = summary.dropped() - previousDropped;
            previousDropped = summary.dropped();
            lagMs = LatencyScale.toMillis(LatencyScale.toMicros(recorder.intervalMaxLagNanos.getThenReset()));
        }
        TimelinePoint point = new TimelinePoint(t, requests, failures, round3(requests / seconds),
                LatencySummary.percentile(interval, 50), LatencySummary.percentile(interval, 99), inFlight,
                targetRate, delayed, lagMs, connectDelayed, dropped);
        previousRequests = summary.requests();
        previousFailures = summary.failures();
        previousElapsedNanos = elapsedNanos;
        interval.reset();
        return point;
    }

    private Summary summarize(long elapsedNanos) {
        Map<String, Long> statusCodes = new LinkedHashMap<>();
        long successes = 0;
        long responses = 0;
        for (int status = 0; status < RunRecorder.STATUS_SLOTS; status++) {
            long count = recorder.statusCounts[status].sum();
            if (count > 0) {
                statusCodes.put(Integer.toString(status), count);
                responses += count;
                if (recorder.successRange().contains(status)) {
                    successes += count;
                }
            }
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        long transportFailures = 0;
        for (ErrorKind kind : ErrorKind.values()) {
            long count = recorder.errorCounts[kind.ordinal()].sum();
            if (count > 0) {
                errors.put(kind.name(), count);
                transportFailures += count;
            }
        }
        long requests = responses + transportFailures;
        long failures = requests - successes;
        double elapsedSeconds = elapsedNanos / 1e9;
        boolean open = openPlan != null;
        return new Summary(requests, successes, failures,
                requests == 0 ? 0 : (double) failures / requests,
                elapsedSeconds <= 0 ? 0 : round3(requests / elapsedSeconds),
                round3(elapsedSeconds),
                recorder.bytesReceived.sum(), recorder.bytesSent.sum(),
                LatencySummary.of(allTotal),
                Collections.unmodifiableMap(statusCodes), Collections.unmodifiableMap(errors),
                open ? LatencySummary.of(serviceTotal) : null,
                open ? round3(openPlan.averageRate()) : null,
                open ? recorder.delayed() : null,
                open ? recorder.connectDelayed() : null,
                open ? recorder.dropped() : null);
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
