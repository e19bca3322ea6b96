package dev.barrage.runs;

import dev.barrage.engine.LoadRun;
import dev.barrage.engine.recording.RunSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One submitted test and its results so far.
 *
 * <p>Thread-safety: readers (REST, Prometheus) call {@link #state()} from any thread and get an
 * immutable {@link RunState}; writers (the run service and the aggregation lane) replace it under
 * this object's monitor, so a final state is never overwritten by a late live sample.
 */
public final class Run {

    private final String id;
    private final TestDefinition definition;
    private final Instant createdAt;
    private final List<Threshold> thresholds;
    private final CompletableFuture<RunState> finished = new CompletableFuture<>();
    private volatile RunState state;
    private volatile LoadRun load;

    Run(String id, TestDefinition definition, Instant createdAt) {
        this.id = id;
        this.definition = definition;
        this.createdAt = createdAt;
        this.thresholds = definition.thresholds().stream().map(Threshold::parse).toList();
        this.state = RunState.queued(thresholds);
    }

    /** A finished run read back from the store. */
    static Run restored(StoredRun stored) {
        Run run = new Run(stored.id(), stored.definition(), stored.createdAt());
        run.state = stored.state();
        run.finished.complete(stored.state());
        return run;
    }

    public String id() {
        return id;
    }

    /** The definition as accepted, defaults filled in. */
    public TestDefinition definition() {
        return definition;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public RunState state() {
        return state;
    }

    /** Share of the planned duration done, 0..1; 1 once the run has ended. */
    public double progress() {
        RunState current = state;
        if (current.status().isFinal()) {
            return 1.0;
        }
        LoadRun running = load;
        return running == null ? 0.0 : running.progress();
    }

    CompletableFuture<RunState> finished() {
        return finished;
    }

    LoadRun load() {
        return load;
    }

    synchronized void started(Instant at, LoadRun loadRun) {
        this.load = loadRun;
        state = state.running(at);
    }

    synchronized void publish(RunSnapshot snapshot) {
        if (!state.status().isFinal()) {
            state = state.withSnapshot(snapshot, thresholds);
        }
    }

    synchronized boolean finish(RunStatus end, Instant at, String reason, RunSnapshot last, List<String> warnings) {
        if (state.status().isFinal()) {
            return false;
        }
        state = state.finished(end, at, reason, last, thresholds, warnings);
        finished.complete(state);
        return true;
    }
}
