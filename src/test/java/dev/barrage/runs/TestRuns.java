package dev.barrage.runs;

import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StepLayout;
import java.time.Instant;
import java.util.List;

/** Builds {@link Run}s for tests outside this package (Run's constructor is package-private). */
public final class TestRuns {

    public static final Instant CREATED_AT = Instant.parse("2026-11-28T10:00:00Z");

    private TestRuns() {
    }

    /** A QUEUED run of {@code submitted} with its defaults filled in, as RunService would accept it. */
    public static Run queued(String id, TestDefinition submitted) {
        return new Run(id, submitted.withDefaults(), CREATED_AT);
    }

    /**
     * What {@link RunService#submit} does before it starts anything, short of resolving targets: the
     * real cross-field rules, the defaults, the scenario compiler and the threshold filters (each
     * throwing {@link InvalidDefinitionException}); the run stays QUEUED.
     */
    public static Run submitted(String id, TestDefinition submitted) {
        DefinitionRules.check(submitted);
        TestDefinition definition = submitted.withDefaults();
        if (definition.usesScenarios()) {
            Thresholds.checkNames(definition.thresholds(), ScenarioCompiler.compile(definition, RunLimits.DEFAULTS).layout());
        } else {
            Thresholds.checkNames(definition.thresholds(), StepLayout.SINGLE);
        }
        return queued(id, submitted);
    }

    /** A run of {@code submitted} that is RUNNING and has published {@code snapshot}. */
    public static Run running(String id, TestDefinition submitted, RunSnapshot snapshot) {
        Run run = queued(id, submitted);
        run.started(CREATED_AT, null);
        run.publish(snapshot);
        return run;
    }

    /** A run that has ended with {@code status} after recording {@code snapshot}. */
    public static Run finished(String id, TestDefinition submitted, RunStatus status, RunSnapshot snapshot) {
        Run run = queued(id, submitted);
        run.finish(status, CREATED_AT.plusSeconds(1), null, snapshot, List.of());
        return run;
    }

    /** A run that has already ended with {@code status}, with nothing recorded. */
    public static Run finished(String id, TestDefinition submitted, RunStatus status) {
        Run run = queued(id, submitted);
        run.finish(status, CREATED_AT.plusSeconds(1), null, RunSnapshot.empty(), List.of());
        return run;
    }
}
