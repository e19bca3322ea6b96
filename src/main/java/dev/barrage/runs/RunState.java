package dev.barrage.runs;

import dev.barrage.engine.recording.RunSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * Everything about a run that changes, replaced as a whole so readers always see a consistent picture.
 * While a run is RUNNING its thresholds and verdict are judged on the live summary; final once it ends.
 */
public record RunState(RunStatus status, Instant startedAt, Instant finishedAt, String failureReason,
                       RunSnapshot snapshot, List<ThresholdResult> thresholds, Verdict verdict,
                       List<String> warnings) {

    static RunState queued(List<Threshold> thresholds) {
        RunSnapshot empty = RunSnapshot.empty();
        return new RunState(RunStatus.QUEUED, null, null, null, empty, judge(thresholds, empty),
                verdictOf(thresholds, judge(thresholds, empty)), List.of());
    }

    RunState running(Instant started) {
        return new RunState(RunStatus.RUNNING, started, null, null, snapshot, thresholds, verdict, warnings);
    }

    RunState withSnapshot(RunSnapshot latest, List<Threshold> criteria) {
        List<ThresholdResult> results = judge(criteria, latest);
        return new RunState(status, startedAt, finishedAt, failureReason, latest, results, verdictOf(criteria, results), warnings);
    }

    RunState finished(RunStatus end, Instant finished, String reason, List<String> finalWarnings) {
        return new RunState(end, startedAt, finished, reason, snapshot, thresholds, verdict, List.copyOf(finalWarnings));
    }

    private static List<ThresholdResult> judge(List<Threshold> criteria, RunSnapshot snapshot) {
        return criteria.stream().map(threshold -> threshold.evaluate(snapshot.summary())).toList();
    }

    private static Verdict verdictOf(List<Threshold> criteria, List<ThresholdResult> results) {
        if (criteria.isEmpty()) {
            return Verdict.NONE;
        }
        return results.stream().allMatch(ThresholdResult::passed) ? Verdict.PASSED : Verdict.FAILED;
    }
}
