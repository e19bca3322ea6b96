package dev.barrage.runs;

import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.recording.TimelinePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sentences a user must read before trusting a finished run's numbers. Stateless. */
final class Warnings {

    /** Achieved below this share of the planned rate is worth a warning. */
    private static final double RATE_SHORTFALL = 0.95;
    /** A request sent this much after it was due means the generator itself fell behind. */
    private static final double LAG_WARNING_MS = 10;

    private Warnings() {
    }

    static List<String> of(Run run, RunEnd end, RunSnapshot last, RunRecorder recorder) {
        List<String> warnings = new ArrayList<>();
        Summary summary = last.summary();
        if (end.outcome() == RunEnd.Outcome.CANCELLED) {
            warnings.add(format("The run was cancelled after %.3f s of the planned %s: the results cover only that part.",
                    end.elapsedNanos() / 1e9, Durations.format(plannedDuration(run))));
            long aborted = recorder.aborted();
            if (aborted > 0) {
                warnings.add(aborted + (aborted == 1 ? " request was" : " requests were")
                        + " in flight at cancellation and abandoned; they are not counted in requests.");
            }
        }
        if (end.outcome() == RunEnd.Outcome.FAILED) {
            warnings.add("The load generator itself failed, so the run stopped early: the results cover only what was done before.");
        }
        if (summary.requests() == 0 && end.outcome() != RunEnd.Outcome.CANCELLED) {
            warnings.add(run.definition().thresholds().isEmpty()
                    ? "No request completed, so there is nothing to report."
                    : "No request completed, so there is nothing to judge: every threshold fails.");
        }
        if (summary.targetRate() != null && end.outcome() == RunEnd.Outcome.COMPLETED) {
            openModelWarnings(summary, last.timeline(), run, warnings);
        }
        return warnings;
    }

    private static void openModelWarnings(Summary summary, List<TimelinePoint> timeline, Run run, List<String> warnings) {
        if (summary.delayed() > 0) {
            warnings.add(format("%d of %d requests (%.2f%%) started late because maxConcurrency (%d) requests were already"
                            + " in flight: the target could not keep up with the rate; their latency includes the wait.",
                    summary.delayed(), summary.requests(), 100.0 * summary.delayed() / Math.max(1, summary.requests()),
                    run.definition().workload().maxConcurrency()));
        }
        double plannedSeconds = plannedDuration(run).toNanos() / 1e9;
        double achieved = summary.requests() / Math.max(plannedSeconds, summary.elapsedSeconds());
        if (achieved < RATE_SHORTFALL * summary.targetRate()) {
            warnings.add(format("The achieved rate was %.1f requests/s against a target of %.1f (%.1f%%): the run took"
                            + " %.3f s instead of %.3f s because requests could not start on time.",
                    achieved, summary.targetRate(), 100 * achieved / summary.targetRate(),
                    summary.elapsedSeconds(), plannedSeconds));
        }
        double worstLag = timeline.stream().mapToDouble(point -> point.schedulerLagMs() == null ? 0 : point.schedulerLagMs())
                .max().orElse(0);
        if (worstLag > LAG_WARNING_MS && summary.delayed() == 0) {
            warnings.add(format("The generator fell behind its schedule: some requests were sent up to %.1f ms after they"
                    + " were due (see schedulerLagMs in the timeline). Latency is still measured from the due time.", worstLag));
        }
    }

    private static java.time.Duration plannedDuration(Run run) {
        return run.definition().workload().totalDuration();
    }

    private static String format(String template, Object... values) {
        return String.format(Locale.ROOT, template, values);
    }
}
