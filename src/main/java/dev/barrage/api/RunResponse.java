package dev.barrage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.barrage.engine.recording.Summary;
import dev.barrage.runs.Distribution;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunState;
import dev.barrage.runs.RunStatus;
import dev.barrage.runs.TestDefinition;
import dev.barrage.runs.ThresholdResult;
import dev.barrage.runs.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * A run as GET /tests/{id} shows it (API.md). In lists the definition is left out.
 *
 * @param queuePosition 1 for the waiting run that starts next; present only for QUEUED runs
 * @param failureReason why the engine failed; present only for FAILED runs
 * @param distributed   true for a run applied by several cluster nodes; absent otherwise, as the four after it
 */
record RunResponse(
        String id,
        String name,
        RunStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer queuePosition,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) TestDefinition definition,
        double progress,
        Summary summary,
        List<ThresholdResult> thresholds,
        List<String> warnings,
        Verdict verdict,
        @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean distributed,
        @JsonInclude(JsonInclude.Include.NON_NULL) String coordinator,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Distribution.NodeStatus> nodes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long lastCompleteSecond,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double effectiveLoadFraction) {

    static RunResponse of(Run run, Integer queuePosition) {
        return of(run, queuePosition, true);
    }

    static RunResponse withoutDefinition(Run run, Integer queuePosition) {
        return of(run, queuePosition, false);
    }

    private static RunResponse of(Run run, Integer queuePosition, boolean withDefinition) {
        RunState state = run.state();
        Distribution distribution = state.distribution();
        double progress = Math.round(run.progress() * 1000) / 1000.0;
        return new RunResponse(run.id(), run.definition().name(), state.status(),
                state.status() == RunStatus.QUEUED ? queuePosition : null, run.createdAt(),
                state.startedAt(), state.finishedAt(), withDefinition ? run.definition() : null,
                progress, state.snapshot().summary(), state.thresholds(), state.warnings(), state.verdict(),
                state.failureReason(), distribution == null ? null : true,
                distribution == null ? null : distribution.coordinator(),
                distribution == null ? null : distribution.nodes(),
                distribution == null ? null : distribution.lastCompleteSecond(),
                distribution == null ? null : distribution.effectiveLoadFraction());
    }
}
