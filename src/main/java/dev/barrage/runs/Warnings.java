package dev.barrage.runs;

import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.RunRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sentences a user must read before trusting a finished run's numbers. Stateless. */
final class Warnings {

    private Warnings() {
    }

    static List<String> of(Run run, RunEnd end, RunRecorder recorder) {
        List<String> warnings = new ArrayList<>();
        if (end.outcome() == RunEnd.Outcome.CANCELLED) {
            warnings.add(String.format(Locale.ROOT,
                    "The run was cancelled after %.3f s of the planned %s: the results cover only that part.",
                    end.elapsedNanos() / 1e9, Durations.format(run.definition().workload().duration())));
            long aborted = recorder.aborted();
            if (aborted > 0) {
                warnings.add(aborted + (aborted == 1 ? " request was" : " requests were")
                        + " in flight at cancellation and abandoned; they are not counted in requests.");
            }
        }
        if (end.outcome() == RunEnd.Outcome.FAILED) {
            warnings.add("The load generator itself failed, so the run stopped early: the results cover only what was done before.");
        }
        return warnings;
    }
}
