package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.ScenarioPlan;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the engine tests share: waiting for other threads on a still fake clock, and a finished run's summary. */
final class EngineRuns {

    private EngineRuns() {
    }

    /** Waits (bounded) for other threads to reach a state; the fake clock does not move meanwhile. */
    static void awaitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.onSpinWait();
        }
    }

    /** The summary of a run that must complete (within 30 s); {@code open} is null for the closed model. */
    static Summary summaryOf(LoadRun run, RunRecorder recorder, ScenarioPlan plan, OpenWorkload open) throws Exception {
        RunEnd end = run.completion().get(30, TimeUnit.SECONDS);
        assertThat(end.outcome()).as("run outcome (failure: %s)", end.failure()).isEqualTo(RunEnd.Outcome.COMPLETED);
        OpenPlan openPlan = open == null ? null : new OpenPlan(open.pacer()::hitsBefore, open.pacer().durationNanos());
        return new RunSampler(recorder, openPlan, StepLayout.of(plan)).sample(end.elapsedNanos(), true).summary();
    }
}
