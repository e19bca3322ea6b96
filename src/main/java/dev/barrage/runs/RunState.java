package dev.barrage.runs;

import dev.barrage.engine.recording.RunSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * Everything about a run that changes, replaced as a whole so readers always see a consistent picture.
 * While a run is QUEUED or RUNNING its verdict is PENDING and its thresholds a live preview; they are
 * judged once, when it ends.
 */
public record RunState(RunStatus status, Instant startedAt, Instant finishedAt, String failureReason,
                       RunSnapshot snapshot, List<ThresholdResult> thresholds, Verdict verdict,
                       List<String> warnings, Double finalProgress, Distribution distribution) {

    static RunState queued(List<Threshold> thresholds) {
        RunSnapshot empty = RunSnapshot.empty();
        return new RunState(RunStatus.QUEUED, null, null, null, empty, preview(thresholds, empty), Verdict.PENDING,
                List.of(), null, null);
    }

    RunState running(Instant started) {
        return new RunState(RunStatus.RUNNING, started, null, null, snapshot, thresholds, Verdict.PENDING, warnings, null,
                distribution);
    }

    RunState withSnapshot(RunSnapshot latest, List<Threshold> criteria) {
        return new RunState(status, startedAt, finishedAt, failureReason, latest, preview(criteria, latest),
                Verdict.PENDING, warnings, null, distribution);
    }

    RunState withDistribution(Distribution latest) {
        return new RunState(status, startedAt, finishedAt, failureReason, snapshot, thresholds, verdict, warnings,
                finalProgress, latest);
    }

    /** @param progress the share of the planned duration the run covered: 1 when completed, less when cut short */
    RunState finished(RunStatus end, Instant finished, String reason, RunSnapshot last, List<Threshold> criteria,
                      List<String> finalWarnings, double progress) {
        List<ThresholdResult> results = criteria.stream().map(threshold -> threshold.judge(last.summary())).toList();
        return new RunState(end, startedAt, finished, reason, last, results, verdictOf(criteria, results),
                List.copyOf(finalWarnings), progress, distribution);
    }

    private static List<ThresholdResult> preview(List<Threshold> criteria, RunSnapshot snapshot) {
        return criteria.stream().map(threshold -> threshold.preview(snapshot.summary())).toList();
    }

    private static Verdict verdictOf(List<Threshold> criteria, List<ThresholdResult> results) {
        if (criteria.isEmpty()) {
            return Verdict.NONE;
        }
        return results.stream().allMatch(result -> Boolean.TRUE.equals(result.passed())) ? Verdict.PASSED : Verdict.FAILED;
    }
}
