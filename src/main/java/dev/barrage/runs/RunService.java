package dev.barrage.runs;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.RunEnd;
import dev.barrage.engine.Workload;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.HttpRequestSpec;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TargetPolicy;
import dev.barrage.engine.transport.TransportFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts test definitions, starts them on the engine, and follows them to the end: live snapshots
 * once a second and the final one are computed on the aggregation lane.
 *
 * <p>Thread-safety: thread-safe; called by request threads of the REST API and by the lane.
 */
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    private static final Duration SAMPLE_PERIOD = Duration.ofSeconds(1);
    /** A running run is saved every this many samples, so a crash loses at most these seconds of it. */
    private static final int CHECKPOINT_EVERY_SAMPLES = 5;
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(2);

    private final LoadEngine engine;
    private final TransportFactory transports;
    private final TargetPolicy targets;
    private final RunStore store;
    private final AggregationLane lane;
    private final List<RunListener> listeners;
    private final RunLimits limits;
    private final RunRegistry registry;
    private final Admission admission;
    private final Clock clock;
    private final RunIds ids = new RunIds();

    public RunService(LoadEngine engine, TransportFactory transports, TargetPolicy targets, AggregationLane lane,
                      List<RunListener> listeners, RunLimits limits, Clock clock) {
        this(engine, transports, targets, RunStore.NONE, lane, listeners, limits, clock);
    }

    /** Loads the finished runs kept in {@code store}; every run that finishes from now on is written there. */
    public RunService(LoadEngine engine, TransportFactory transports, TargetPolicy targets, RunStore store,
                      AggregationLane lane, List<RunListener> listeners, RunLimits limits, Clock clock) {
        this.engine = engine;
        this.transports = transports;
        this.targets = targets;
        this.store = store;
        this.lane = lane;
        this.listeners = List.copyOf(listeners);
        this.limits = limits;
        this.registry = new RunRegistry(limits.retention(), limits.retainedBytes());
        this.admission = new Admission(limits.maxRunning(), limits.maxQueued());
        this.clock = clock;
        List<StoredRun> stored = store.load(limits.retention(), limits.retainedBytes());
        for (StoredRun saved : stored) {
            Run run = Run.restored(saved, clock.instant());
            if (saved.state().status() != run.state().status()) {
                store.save(run); // the interrupted run's file now says how it ended
            }
            registry.add(run);
        }
        registry.evictBeyondRetention(this::evicted);
        if (!stored.isEmpty()) {
            log.info("Loaded {} runs from the store", stored.size());
        }
    }

    /**
     * Checks the definition, fills in defaults, and starts the run or queues it by priority.
     *
     * @throws InvalidDefinitionException when the definition cannot be run as given; nothing started
     * @throws RunQueueFullException      when {@code maxQueued} runs are waiting already
     * @throws TargetRefusedException     when the target is not allowed here
     */
    public Run submit(TestDefinition submitted) {
        DefinitionRules.check(submitted, limits);
        TestDefinition definition = submitted.withDefaults(limits);
        PreparedLoad prepared = prepare(definition);
        Run run = new Run(ids.next(), definition, clock.instant());
        long unfinished = registry.unfinishedBytes();
        if (unfinished + run.retainedBytes() > limits.retainedBytes()) {
            throw new RunQueueFullException(unfinished, run.retainedBytes(), limits.retainedBytes(), retryAfterSeconds());
        }
        registry.add(run);
        switch (admission.admit(run, prepared)) {
            case START -> start(run, prepared);
            case QUEUED -> log.info("Run {} queued behind {} running", run.id(), admission.running().size());
            case FULL -> {
                registry.remove(run);
                throw new RunQueueFullException(limits.maxQueued(), retryAfterSeconds());
            }
        }
        registry.evictBeyondRetention(this::evicted);
        return run;
    }

    /**
     * Compiles the definition (one fixed request, or scenarios), checks every target against the
     * allow-list and makes a transport per target.
     */
    private PreparedLoad prepare(TestDefinition definition) {
        if (!definition.usesScenarios()) {
            checkTarget(URI.create(definition.request().url()), "request.url");
            Transport transport = createTransport(Plans.requestOf(definition.request()), "request");
            ScenarioPlan plan = ScenarioPlan.single();
            StatusRange expected = new StatusRange(definition.expectedStatus().get(0), definition.expectedStatus().get(1));
            PreparedLoad load = new PreparedLoad(plan, List.of(transport), StepLayout.SINGLE, List.of(expected));
            Thresholds.checkNames(definition.thresholds(), load.layout());
            return load;
        }
        ScenarioCompiler.Compiled compiled = ScenarioCompiler.compile(definition, limits);
        Thresholds.checkNames(definition.thresholds(), compiled.layout());
        List<Transport> transportsByTarget = new ArrayList<>();
        for (HttpRequestSpec target : compiled.targets()) {
            checkTarget(target.url(), definition.scenarios() != null ? "scenarios" : "request.url");
            transportsByTarget.add(createTransport(target, definition.scenarios() != null ? "scenarios" : "request"));
        }
        return new PreparedLoad(compiled.plan(), transportsByTarget, compiled.layout(), compiled.stepSuccess());
    }

    /** Every address the host resolves to now must be allowed; each connect checks again. */
    private void checkTarget(URI url, String field) {
        String host = url.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new InvalidDefinitionException(List.of(new FieldProblem(field,
                    "the host " + host + " does not resolve, so no request could reach it")));
        }
        for (InetAddress address : addresses) {
            if (!targets.allows(host, address)) {
                throw new TargetRefusedException(host, address.getHostAddress());
            }
        }
    }

    /** 1 for the waiting run that starts next; empty unless the run is QUEUED. */
    public Optional<Integer> queuePosition(Run run) {
        return admission.positionOf(run);
    }

    /** Seconds until the first running test is planned to end, at least 1: when to retry a full queue. */
    private long retryAfterSeconds() {
        long soonest = Long.MAX_VALUE;
        for (Run running : admission.running()) {
            LoadRun load = running.load();
            long elapsed = load == null ? 0 : load.elapsedNanos();
            soonest = Math.min(soonest, running.definition().workload().totalDuration().toNanos() - elapsed);
        }
        return soonest == Long.MAX_VALUE ? 1 : Math.max(1, (soonest + 999_999_999) / 1_000_000_000);
    }

    public Run get(String id) {
        return registry.find(id).orElseThrow(() -> new RunNotFoundException(id));
    }

    /** Newest first. */
    public List<Run> list(RunStatus status, int limit) {
        return registry.list(status, limit);
    }

    /** Every run in memory, oldest first. */
    public List<Run> all() {
        return registry.all();
    }

    /**
     * Stops a queued or running run and waits briefly for it to end, so the answer usually shows
     * the final CANCELLED state with what was done.
     */
    public Run cancel(String id) {
        Run run = get(id);
        RunStatus status = run.state().status();
        if (status.isFinal()) {
            throw new RunAlreadyFinishedException(id, status);
        }
        stop(run);
        try {
            run.finished().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the run ends on the lane shortly; the caller sees it still RUNNING and polls
        }
        return run;
    }

    /** Cancels every unfinished run and waits up to {@code wait} for their final results (shutdown). */
    public void cancelAllAndWait(Duration wait) {
        for (Run waiting : admission.waiting()) {
            stop(waiting);
        }
        List<Run> unfinished = registry.all().stream().filter(run -> !run.state().status().isFinal()).toList();
        unfinished.forEach(this::stop);
        CompletableFuture<?>[] finishing = unfinished.stream().map(Run::finished).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(finishing).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} runs had not recorded their final results within {}", unfinished.size(), wait);
        }
    }

    /** A waiting run leaves the queue at once; a running one is cancelled and ends on the lane. */
    private void stop(Run run) {
        if (admission.withdraw(run)) {
            finish(run, RunStatus.CANCELLED, null, run.state().snapshot(),
                    List.of("The run was cancelled while it waited in the queue; it never applied load."));
            return;
        }
        LoadRun load = run.requestCancel();
        if (load != null) {
            load.cancel();
        } // else it is between the queue and its start: start() sees the request and cancels it
    }

    private Transport createTransport(HttpRequestSpec spec, String field) {
        try {
            return transports.create(spec);
        } catch (IllegalArgumentException e) {
            throw new InvalidDefinitionException(List.of(new FieldProblem(field, e.getMessage())));
        }
    }

    private void start(Run run, PreparedLoad prepared) {
        if (run.cancelRequested()) {
            finish(run, RunStatus.CANCELLED, null, run.state().snapshot(),
                    List.of("The run was cancelled before it started; it never applied load."));
            return;
        }
        TestDefinition definition = run.definition();
        RunRecorder recorder = new RunRecorder(prepared.stepSuccess(), prepared.layout().checks().size());
        Workload workload = Plans.workloadOf(definition.workload());
        RunSampler sampler = new RunSampler(recorder, Plans.openPlanOf(workload), prepared.layout());
        LoadRun load;
        try {
            load = engine.start(workload, prepared.plan(), prepared.transports().toArray(Transport[]::new), recorder,
                    Thread.ofVirtual().name("barrage-" + run.id() + "-", 0).factory());
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("Run {} could not start", run.id(), e);
            finish(run, RunStatus.FAILED, "The engine could not start the run: " + e, RunSnapshot.empty(), List.of());
            return;
        }
        if (run.started(clock.instant(), load)) {
            load.cancel(); // cancelled while it was being started
        }
        listeners.forEach(listener -> listener.runStarted(run));
        int[] samples = {0}; // only the lane's ticks touch it, one at a time
        ScheduledFuture<?> ticks = lane.every(SAMPLE_PERIOD, () -> {
            run.publish(sampler.sample(load.elapsedNanos(), true));
            if (++samples[0] % CHECKPOINT_EVERY_SAMPLES == 0) {
                checkpoint(run);
            }
        });
        load.completion().thenAcceptAsync(end -> {
            ticks.cancel(false);
            RunSnapshot last = sampler.sample(end.elapsedNanos(), true);
            finish(run, statusOf(end), reasonOf(end), last, Warnings.of(run, end, last, recorder, prepared.successByStep()));
        }, lane.executor());
    }

    private void finish(Run run, RunStatus status, String reason, RunSnapshot last, List<String> warnings) {
        if (run.finish(status, clock.instant(), reason, last, warnings)) {
            synchronized (run) { // after any checkpoint in progress, and no checkpoint after it
                store.save(run);
            }
            listeners.forEach(listener -> listener.runFinished(run));
            admission.release(run).ifPresent(next -> start(next.run(), next.load()));
            registry.evictBeyondRetention(this::evicted);
        }
    }

    /** Saves a running run so that a crash leaves its partial results (they come back FAILED). */
    private void checkpoint(Run run) {
        synchronized (run) {
            if (!run.state().status().isFinal()) {
                store.save(run);
            }
        }
    }

    private void evicted(Run run) {
        store.delete(run.id());
        listeners.forEach(listener -> listener.runEvicted(run));
    }

    private static RunStatus statusOf(RunEnd end) {
        return switch (end.outcome()) {
            case COMPLETED -> RunStatus.COMPLETED;
            case CANCELLED -> RunStatus.CANCELLED;
            case FAILED -> RunStatus.FAILED;
        };
    }

    private static String reasonOf(RunEnd end) {
        return end.failure() == null ? null : "The engine failed: " + end.failure();
    }
}
