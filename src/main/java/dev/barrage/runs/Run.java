package dev.barrage.runs;

import dev.barrage.engine.LoadRun;
import dev.barrage.engine.recording.RunSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One submitted test and its results so far.
 *
 * <p>Thread-safety: readers (REST, Prometheus) call {@link #state()} from any thread and get an
 * immutable {@link RunState}; writers (the run service and the aggregation lane) replace it under
 * this object's monitor, so a final state is never overwritten by a late live sample, and wake the
 * followers waiting in {@link #awaitChange} (the aggregation lane does so once a second at most).
 */
public final class Run {

    private static final long TIMELINE_POINT_BYTES = 160;
    private static final long STEP_POINT_BYTES = 150;
    private static final long STEP_SUMMARY_BYTES = 3 * 1024;
    private static final long SUMMARY_BYTES = 8 * 1024;

    private final String id;
    private final TestDefinition definition;
    private final Instant createdAt;
    private final List<Threshold> thresholds;
    private final long definitionBytes;
    /** What one timeline point holds: more with scenarios, whose points carry each step's figures. */
    private final long timelinePointBytes;
    private final long summaryBytes;
    private final CompletableFuture<RunState> finished = new CompletableFuture<>();
    private final java.util.Set<Runnable> finishWaiters = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile RunState state;
    private volatile LoadRun load;
    private volatile RunSnapshot localShare;
    private volatile Double localStartSkewMs;
    private volatile boolean coordinatedHere = true;
    private volatile boolean distributed;
    private boolean cancelRequested; // guarded by this

    Run(String id, TestDefinition definition, Instant createdAt) {
        this.id = id;
        this.definition = definition;
        this.createdAt = createdAt;
        this.thresholds = definition.thresholds().stream().map(Threshold::parse).toList();
        this.definitionBytes = definition.estimatedBytes();
        this.timelinePointBytes = TIMELINE_POINT_BYTES + STEP_POINT_BYTES * definition.requestStepCount();
        this.summaryBytes = SUMMARY_BYTES + STEP_SUMMARY_BYTES * definition.requestStepCount();
        this.state = RunState.queued(thresholds);
    }

    /**
     * A run read back from the store. One that was still queued or running there was a checkpoint:
     * the service stopped during it (a crash, a kill), so it comes back FAILED with what it had
     * recorded by the last checkpoint.
     */
    static Run restored(StoredRun stored, Instant now) {
        Run run = new Run(stored.id(), stored.definition(), stored.createdAt());
        RunState state = stored.state();
        if (!state.status().isFinal()) {
            String reason = "The service stopped while this run was " + state.status()
                    + "; this is what it had recorded at its last checkpoint (saved every few seconds).";
            java.util.List<String> warnings = new java.util.ArrayList<>(state.warnings());
            warnings.add(reason + " The run did not finish: its figures cover only part of the plan.");
            state = state.finished(RunStatus.FAILED, now, reason, state.snapshot(), run.thresholds, warnings, 0.0);
        }
        run.state = state;
        if (state.distribution() != null) {
            run.distributed = true; // its figures are the cluster's: this node exports no share of them
            run.coordinatedHere = false;
        }
        run.finished.complete(state);
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

    /** About what this run holds in memory: its definition, timeline and summary (an estimate). */
    long retainedBytes() {
        return definitionBytes + state.snapshot().timeline().size() * timelinePointBytes + summaryBytes;
    }

    /** Share of the planned duration done, 0..1: 1 once completed, what it covered when cut short. */
    public double progress() {
        RunState current = state;
        if (current.status().isFinal()) {
            return current.finalProgress() != null ? current.finalProgress() : 1.0; // stored before it was kept
        }
        LoadRun running = load;
        return running == null ? 0.0 : running.progress();
    }

    CompletableFuture<RunState> finished() {
        return finished;
    }

    /**
     * Runs {@code waiter} once the run has ended, on the thread that ends it (at once, on the caller's,
     * if it has ended already). Closing the returned handle forgets a waiter that is no longer needed,
     * so clients that give up waiting leave nothing behind on a long run.
     */
    public AutoCloseable onFinished(Runnable waiter) {
        Runnable once = new Runnable() { // its own identity: the same waiter may be given twice
            @Override
            public void run() {
                if (finishWaiters.remove(this)) {
                    waiter.run();
                }
            }
        };
        finishWaiters.add(once);
        if (finished.isDone()) {
            once.run();
        }
        return () -> finishWaiters.remove(once);
    }

    LoadRun load() {
        return load;
    }

    /** Records the load; true when a cancel was asked for before it started (the caller then cancels it). */
    synchronized boolean started(Instant at, LoadRun loadRun) {
        this.load = loadRun;
        state = state.running(at);
        notifyAll();
        return cancelRequested;
    }

    /**
     * Waits until the run's state is another than {@code seen}, or {@code timeout} is over; answers the
     * state then. Followers (event streams) wake once per published state this way, not on a timer.
     */
    public RunState awaitChange(RunState seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (state == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return state;
        }
    }

    /**
     * Asks for the run to stop, whether or not its load has started yet; answers the load to cancel,
     * or null when it has not started (then {@link #started} reports the request).
     */
    synchronized LoadRun requestCancel() {
        cancelRequested = true;
        return load;
    }

    /** Whether a cancel was asked for (a run admitted but not started yet is then not started). */
    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    synchronized void publish(RunSnapshot snapshot) {
        if (!state.status().isFinal()) {
            state = state.withSnapshot(snapshot, thresholds);
            notifyAll();
        }
    }

    /** A distributed run's merged figures and its generators' state. */
    synchronized void publish(RunSnapshot snapshot, Distribution distribution) {
        if (!state.status().isFinal()) {
            state = state.withSnapshot(snapshot, thresholds).withDistribution(distribution);
            notifyAll();
        }
    }

    /** A distributed run's generators' state changed (no new merged second). */
    synchronized void describe(Distribution distribution) {
        if (!state.status().isFinal() && !distribution.equals(state.distribution())) {
            state = state.withDistribution(distribution);
            notifyAll();
        }
    }

    /** Whether several cluster nodes apply this run (its end is decided by them all, not by this node alone). */
    public boolean distributed() {
        return distributed;
    }

    void markDistributed() {
        distributed = true;
    }

    /** What this node's own share of a distributed run has recorded (null when it applies none). */
    public RunSnapshot localShare() {
        return localShare;
    }

    void localShare(RunSnapshot snapshot, double startSkewMs) {
        localShare = snapshot;
        localStartSkewMs = startSkewMs;
    }

    /** How late this node's share started after the common instant, in ms (null when it has not, or has none). */
    public Double localStartSkewMs() {
        return localStartSkewMs;
    }

    /**
     * Whether this node coordinates the run: always for a run of this node alone; for a distributed run
     * only on its coordinator (service-level counts count each run once across the cluster there).
     */
    public boolean coordinatedHere() {
        return coordinatedHere;
    }

    void coordinatedHere(boolean here) {
        coordinatedHere = here;
    }

    /** Ends the run once; its waiters are told after the run's lock is released, so they may read it freely. */
    boolean finish(RunStatus end, Instant at, String reason, RunSnapshot last, List<String> warnings) {
        if (!end(end, at, reason, last, warnings)) {
            return false;
        }
        finishWaiters.forEach(Runnable::run);
        return true;
    }

    private synchronized boolean end(RunStatus end, Instant at, String reason, RunSnapshot last, List<String> warnings) {
        if (state.status().isFinal()) {
            return false;
        }
        LoadRun ran = load;
        double progress = end == RunStatus.COMPLETED ? 1.0 : ran == null ? 0.0 : ran.progress();
        state = state.finished(end, at, reason, last, thresholds, warnings, progress);
        notifyAll();
        finished.complete(state);
        return true;
    }
}
