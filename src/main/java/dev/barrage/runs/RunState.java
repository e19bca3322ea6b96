package dev.barrage.runs;

import dev.barrage.engine.recording.RunSnapshot;
import java.time.Instant;
import java.util.List;

/** Everything about a run that changes, replaced as a whole so readers always see a consistent picture. */
public record RunState(RunStatus status, Instant startedAt, Instant finishedAt, String failureReason,
                       RunSnapshot snapshot, List<String> warnings) {

    static RunState queued() {
        return new RunState(RunStatus.QUEUED, null, null, null, RunSnapshot.empty(), List.of());
    }

    RunState running(Instant started) {
        return new RunState(RunStatus.RUNNING, started, null, null, snapshot, warnings);
    }

    RunState withSnapshot(RunSnapshot latest) {
        return new RunState(status, startedAt, finishedAt, failureReason, latest, warnings);
    }

    RunState finished(RunStatus end, Instant finished, String reason, RunSnapshot last, List<String> finalWarnings) {
        return new RunState(end, startedAt, finished, reason, last, List.copyOf(finalWarnings));
    }
}
