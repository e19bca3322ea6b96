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
    private final StepLayout layout;
    private final StepSampler[] steps;
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
    private long lastIntervalLagNanos;
    /** Set for a generator's share of a distributed run: every closed interval becomes a shipment. */
    private ShipmentBuffer shipping;

    /** A closed-model run's sampler. */
    public RunSampler(RunRecorder recorder) {
        this(recorder, null);
    }

    /** @param openPlan the plan of an open-model run, null for the closed model */
    public RunSampler(RunRecorder recorder, OpenPlan openPlan) {
        this(recorder, openPlan, StepLayout.SINGLE);
    }

    /** @param layout how the recorder's steps and checks are named and grouped */
    public RunSampler(RunRecorder recorder, OpenPlan openPlan, StepLayout layout) {
        if (recorder.steps.length != (layout.steps().size() > 1 ? layout.steps().size() : 0)
                || recorder.checkCounts.length() != 2 * layout.checks().size()) {
            throw new IllegalArgumentException("the layout does not match the recorder's steps and checks");
        }
        this.recorder = recorder;
        this.openPlan = openPlan;
        this.layout = layout;
        this.steps = new StepSampler[recorder.steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new StepSampler(recorder.steps[i]);
        }
        // The recorders' second histograms are made now, with the recorder, not at the first sample:
        // made during a run, they are young when its first young collection comes, which then copies
        // them (about 750 KB, docs/performance.md, "The run's own start").
        takeIntervals();
    }

    /**
     * From now on every closed interval is also kept as an {@link IntervalShipment} (for
     * {@link #drainShipments}): this sampler's recorder is one generator's share of a distributed run.
     */
    public synchronized void shipIntervals() {
        if (shipping == null) {
            shipping = new ShipmentBuffer(steps.length);
        }
    }

    /** The shipments of the intervals closed since the last call, oldest first. */
    public synchronized List<IntervalShipment> drainShipments() {
        return shipping == null ? List.of() : shipping.drain();
    }

    /** Swaps the recorders' interval histograms and adds what they held to the totals and the open timeline interval. */
    private void takeIntervals() {
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
    }

    /**
     * Samples the recorder at {@code elapsedNanos} since the run started.
     *
     * @param closeInterval whether this sample ends a timeline interval (the once-a-second tick and
     *                      the final sample do; an on-demand refresh does not)
     */
    public synchronized RunSnapshot sample(long elapsedNanos, boolean closeInterval) {
        takeIntervals();
        for (StepSampler step : steps) {
            step.sample();
        }
        if (shipping != null) {
            shipping.add(successInterval, failureInterval, serviceInterval, retractedInterval);
            for (int i = 0; i < steps.length; i++) {
                shipping.addStep(i, steps[i].successInterval(), steps[i].failureInterval(), steps[i].retractedInterval());
            }
        }

        Summary summary = summarize(elapsedNanos);
        long inFlight = recorder.inFlight();
        if (closeInterval && elapsedNanos > previousElapsedNanos) {
            timeline.add(timelinePoint(summary, elapsedNanos, inFlight));
        }
        if (closeInterval && shipping != null) {
            // shipped even when no later than the previous sample (a final sample whose end time was read
            // just before the last tick's): what was counted since, such as the hits dropped at the end,
            // must still leave this generator
            shipping.ship(Math.max(elapsedNanos, previousElapsedNanos), recorder.totals(lastIntervalLagNanos));
        }
        LatencyBuckets successBuckets = PrometheusBuckets.of(successTotal, recorder.successMicros.sum());
        LatencyBuckets failureBuckets = PrometheusBuckets.of(failureTotal, recorder.failureMicros.sum());
        Map<String, StepBuckets> stepLatency = new LinkedHashMap<>();
        if (steps.length == 0) {
            stepLatency.put(layout.steps().getFirst(), new StepBuckets(successBuckets, failureBuckets));
        } else {
            for (int i = 0; i < steps.length; i++) {
                stepLatency.put(layout.steps().get(i), steps[i].buckets());
            }
        }
        return new RunSnapshot(summary, List.copyOf(timeline), inFlight, successBuckets, failureBuckets,
                Collections.unmodifiableMap(stepLatency));
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
            lastIntervalLagNanos = recorder.intervalMaxLagNanos.getThenReset();
            lagMs = LatencyScale.toMillis(LatencyScale.toMicros(lastIntervalLagNanos));
        }
        Map<String, StepPoint> stepPoints = null;
        if (steps.length > 0) {
            stepPoints = new LinkedHashMap<>();
            for (int i = 0; i < steps.length; i++) {
                StepSampler step = steps[i];
                long stepFailures = step.requests - step.successes;
                stepPoints.put(layout.steps().get(i), new StepPoint(step.requests - step.previousRequests,
                        stepFailures - step.previousFailures,
                        LatencySummary.percentile(step.interval, 50), LatencySummary.percentile(step.interval, 99)));
                step.previousRequests = step.requests;
                step.previousFailures = stepFailures;
                step.interval.reset();
            }
            stepPoints = Collections.unmodifiableMap(stepPoints);
        }
        TimelinePoint point = new TimelinePoint(t, requests, failures, round3(requests / seconds),
                LatencySummary.percentile(interval, 50), LatencySummary.percentile(interval, 90),
                LatencySummary.percentile(interval, 99), inFlight,
                targetRate, delayed, lagMs, connectDelayed, dropped, stepPoints);
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
        if (steps.length > 0) {
            // the totals from the steps' counts, read in the same pass: each step judges its statuses by its
            // own range, and live figures taken from two passes would disagree (negative failures)
            Counts all = countsOf(allSteps());
            requests = all.requests();
            successes = all.successes();
            statusCodes = new LinkedHashMap<>(all.statusCodes());
            errors = new LinkedHashMap<>(all.errors());
        }
        long failures = requests - successes;
        double elapsedSeconds = elapsedNanos / 1e9;
        boolean open = openPlan != null;
        LatencySummary latency = LatencySummary.of(allTotal);
        CheckCounts[] checkCounts = checkCounts();
        Map<String, GroupSummary> stepSummaries = new LinkedHashMap<>();
        if (steps.length == 0) {
            stepSummaries.put(layout.steps().getFirst(), group(requests, successes, elapsedSeconds, latency,
                    statusCodes, errors, checksOf(new int[] {0}, checkCounts)));
        } else {
            for (int i = 0; i < steps.length; i++) {
                StepSampler step = steps[i];
                stepSummaries.put(layout.steps().get(i), group(step.requests, step.successes, elapsedSeconds,
                        LatencySummary.of(step.all), step.statusCodes, step.errors, checksOf(new int[] {i}, checkCounts)));
            }
        }
        Map<String, GroupSummary> scenarioSummaries = new LinkedHashMap<>();
        for (int s = 0; s < layout.scenarios().size(); s++) {
            int[] members = layout.scenarioSteps().get(s);
            scenarioSummaries.put(layout.scenarios().get(s), steps.length == 0
                    ? stepSummaries.get(layout.steps().getFirst())
                    : scenarioGroup(members, elapsedSeconds, checksOf(members, checkCounts)));
        }
        Iterations iterations = new Iterations(recorder.iterationsStarted.sum(), recorder.iterationsCompleted.sum(),
                recorder.iterationsAborted.sum(), recorder.iterationsInterrupted.sum());
        return new Summary(requests, successes, failures,
                requests == 0 ? 0 : (double) failures / requests,
                elapsedSeconds <= 0 ? 0 : round3(requests / elapsedSeconds),
                round3(elapsedSeconds),
                recorder.bytesReceived.sum(), recorder.bytesSent.sum(),
                latency,
                Collections.unmodifiableMap(statusCodes), Collections.unmodifiableMap(errors),
                open ? LatencySummary.of(serviceTotal) : null,
                open ? round3(openPlan.averageRate()) : null,
                open ? recorder.delayed() : null,
                open ? recorder.connectDelayed() : null,
                open ? recorder.dropped() : null,
                iterations, allChecks(checkCounts),
                Collections.unmodifiableMap(scenarioSummaries), Collections.unmodifiableMap(stepSummaries));
    }

    private CheckCounts[] checkCounts() {
        CheckCounts[] counts = new CheckCounts[layout.checks().size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new CheckCounts(recorder.checkCounts.get(2 * i), recorder.checkCounts.get(2 * i + 1));
        }
        return counts;
    }

    private Checks allChecks(CheckCounts[] counts) {
        Map<String, CheckCounts> byCheck = new LinkedHashMap<>();
        CheckCounts total = CheckCounts.NONE;
        for (int i = 0; i < counts.length; i++) {
            String name = layout.steps().get(layout.checkStep()[i]) + ": " + layout.checks().get(i);
            byCheck.merge(name, counts[i], CheckCounts::plus);
            total = total.plus(counts[i]);
        }
        return new Checks(total.passed(), total.failed(), Collections.unmodifiableMap(byCheck));
    }

    private CheckCounts checksOf(int[] stepIndexes, CheckCounts[] counts) {
        CheckCounts sum = CheckCounts.NONE;
        for (int i = 0; i < counts.length; i++) {
            for (int step : stepIndexes) {
                if (layout.checkStep()[i] == step) {
                    sum = sum.plus(counts[i]);
                }
            }
        }
        return sum;
    }

    /** A scenario's figures: its steps' counts added, its latency from their histograms merged. */
    private GroupSummary scenarioGroup(int[] members, double elapsedSeconds, CheckCounts checks) {
        Histogram latency = StepSampler.stepHistogram();
        for (int member : members) {
            latency.add(steps[member].all);
        }
        Counts counts = countsOf(members);
        return group(counts.requests(), counts.successes(), elapsedSeconds, LatencySummary.of(latency),
                counts.statusCodes(), counts.errors(), checks);
    }

    private record Counts(long requests, long successes, Map<String, Long> statusCodes, Map<String, Long> errors) {
    }

    /** The steps' counts added: statuses in numeric order, error kinds in their declared order. */
    private Counts countsOf(int[] members) {
        Map<String, Long> statusCodes = new java.util.TreeMap<>();
        Map<ErrorKind, Long> errors = new java.util.EnumMap<>(ErrorKind.class);
        long requests = 0;
        long successes = 0;
        for (int member : members) {
            StepSampler step = steps[member];
            requests += step.requests;
            successes += step.successes;
            step.statusCodes.forEach((code, count) -> statusCodes.merge(code, count, Long::sum));
            step.errors.forEach((kind, count) -> errors.merge(ErrorKind.valueOf(kind), count, Long::sum));
        }
        Map<String, Long> errorNames = new LinkedHashMap<>();
        errors.forEach((kind, count) -> errorNames.put(kind.name(), count));
        return new Counts(requests, successes, Collections.unmodifiableMap(new LinkedHashMap<>(statusCodes)),
                Collections.unmodifiableMap(errorNames));
    }

    private int[] allSteps() {
        int[] all = new int[steps.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static GroupSummary group(long requests, long successes, double elapsedSeconds, LatencySummary latency,
                                      Map<String, Long> statusCodes, Map<String, Long> errors, CheckCounts checks) {
        long failures = requests - successes;
        return new GroupSummary(requests, successes, failures, requests == 0 ? 0 : (double) failures / requests,
                elapsedSeconds <= 0 ? 0 : round3(requests / elapsedSeconds), latency, statusCodes, errors, checks);
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
