package dev.barrage.runs;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.ExecutionSegment;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    static final Duration SAMPLE_PERIOD = Duration.ofSeconds(1);
    /**
     * The first tick a little after the run's first second: the schedule's clock starts when its
     * threads run, milliseconds after the ticks are set, and a tick due in the run's last
     * milliseconds would take the core (a sample costs 2-3 ms of CPU) from the hits due just before
     * the end, which are then dropped.
     */
    static final Duration FIRST_SAMPLE = SAMPLE_PERIOD.plusMillis(50);
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
    private final HostCpu hostCpu;
    private final RunIds ids = new RunIds();
    /** This node's shares of distributed runs, prepared or running, by run id. */
    private final Map<String, GeneratorShare> shares = new ConcurrentHashMap<>();
    private volatile ClusterGateway cluster = ClusterGateway.STANDALONE;
    private volatile Runnable stopWarmup = () -> { };

    public RunService(LoadEngine engine, TransportFactory transports, TargetPolicy targets, AggregationLane lane,
                      List<RunListener> listeners, RunLimits limits, Clock clock) {
        this(engine, transports, targets, RunStore.NONE, lane, listeners, limits, clock);
    }

    /** As the full constructor, on a machine whose CPU steal is not read ({@link HostCpu#NONE}). */
    public RunService(LoadEngine engine, TransportFactory transports, TargetPolicy targets, RunStore store,
                      AggregationLane lane, List<RunListener> listeners, RunLimits limits, Clock clock) {
        this(engine, transports, targets, store, lane, listeners, limits, clock, HostCpu.NONE);
    }

    /**
     * Loads the finished runs kept in {@code store}; every run that finishes from now on is written there.
     * {@code hostCpu} is read at each local run's start and end, to warn when the hypervisor took the CPU.
     */
    public RunService(LoadEngine engine, TransportFactory transports, TargetPolicy targets, RunStore store,
                      AggregationLane lane, List<RunListener> listeners, RunLimits limits, Clock clock, HostCpu hostCpu) {
        this.engine = engine;
        this.hostCpu = hostCpu;
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
     * From now on runs wait in the queue until {@link #warmedUp()}, so that none starts on a JVM still
     * compiling its request path. A distributed run's share cannot wait (its other generators start
     * at the same instant): preparing one calls {@code stopWarmup} and starts regardless.
     */
    public void holdForWarmup(Runnable stopWarmup) {
        this.stopWarmup = stopWarmup;
        admission.hold();
    }

    /** Whether runs wait in the queue: the first of them to start collects the heap before it starts. */
    public boolean anyWaiting() {
        return !admission.waiting().isEmpty();
    }

    /** Ends {@link #holdForWarmup}: the runs that waited start, as many as there are slots. */
    public void warmedUp() {
        stopWarmup = () -> { };
        for (Admission.Waiting waiting : admission.open()) {
            start(waiting.run(), waiting.load());
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
        checkGenerators(definition);
        PreparedLoad prepared = prepare(definition);
        Run run = new Run(ids.next(), definition, clock.instant());
        long unfinished = registry.unfinishedBytes();
        if (unfinished + run.retainedBytes() > limits.retainedBytes()) {
            throw new RunQueueFullException(unfinished, run.retainedBytes(), limits.retainedBytes(), retryAfterSeconds());
        }
        registry.add(run);
        Admission.Decision decision = admission.admit(run, prepared);
        if (decision == Admission.Decision.FULL) {
            registry.remove(run);
            throw new RunQueueFullException(limits.maxQueued(), retryAfterSeconds());
        }
        if (definition.isDistributed(cluster.members())) {
            announce(run);
        }
        switch (decision) {
            case START -> start(run, prepared);
            case QUEUED -> log.info("Run {} queued behind {} running{}", run.id(), admission.running().size(),
                    admission.held() ? ", until the start-up warm-up ends" : "");
            case FULL -> throw new IllegalStateException("handled above");
        }
        registry.evictBeyondRetention(this::evicted);
        return run;
    }

    /** Tells the cluster of a distributed run at once, so that every node shows it from now on, queued or not. */
    private void announce(Run run) {
        run.markDistributed();
        try {
            cluster.announce(run);
        } catch (RuntimeException e) {
            admission.withdraw(run);
            admission.release(run);
            registry.remove(run);
            throw e;
        }
    }

    /** A distributed test needs a cluster with at least as many members as it asks generators. */
    private void checkGenerators(TestDefinition definition) {
        Generators generators = definition.generators();
        int members = cluster.members();
        if (generators.all() || generators.count() <= 1) {
            return;
        }
        if (cluster == ClusterGateway.STANDALONE) {
            throw new InvalidDefinitionException(List.of(new FieldProblem("generators", "this node is standalone "
                    + "(barrage.cluster.enabled is false): only 1 generator, or \"all\", can apply a test here")));
        }
        if (generators.count() > members) {
            throw new InvalidDefinitionException(List.of(new FieldProblem("generators", generators.count()
                    + " generators asked for, but the cluster has " + members + " members now")));
        }
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
            PreparedLoad load = new PreparedLoad(plan, List.of(transport), StepLayout.SINGLE, List.of(expected),
                    List.of(URI.create(definition.request().url())));
            Thresholds.checkNames(definition.thresholds(), load.layout());
            return load;
        }
        ScenarioCompiler.Compiled compiled = ScenarioCompiler.compile(definition, limits);
        Thresholds.checkNames(definition.thresholds(), compiled.layout());
        List<Transport> transportsByTarget = new ArrayList<>();
        List<URI> urls = new ArrayList<>();
        for (HttpRequestSpec target : compiled.targets()) {
            checkTarget(target.url(), definition.scenarios() != null ? "scenarios" : "request.url");
            transportsByTarget.add(createTransport(target, definition.scenarios() != null ? "scenarios" : "request"));
            urls.add(target.url());
        }
        return new PreparedLoad(compiled.plan(), transportsByTarget, compiled.layout(), compiled.stepSuccess(), urls);
    }

    /** How a definition's steps and checks are recorded, without checking or reaching its targets (a merge's shape). */
    private PreparedLoad shapeOf(TestDefinition definition) {
        if (!definition.usesScenarios()) {
            StatusRange expected = new StatusRange(definition.expectedStatus().get(0), definition.expectedStatus().get(1));
            return new PreparedLoad(ScenarioPlan.single(), List.of(), StepLayout.SINGLE, List.of(expected), List.of());
        }
        ScenarioCompiler.Compiled compiled = ScenarioCompiler.compile(definition, limits);
        return new PreparedLoad(compiled.plan(), List.of(), compiled.layout(), compiled.stepSuccess(), List.of());
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
        return registry.find(id).or(() -> cluster.find(id)).orElseThrow(() -> new RunNotFoundException(id));
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

    /**
     * Cancels every unfinished run and waits up to {@code wait} for their final results (shutdown). Of
     * a distributed run only this node's share stops (and ships how far it got): the other nodes decide
     * the run's end, as for a node that left.
     */
    public void cancelAllAndWait(Duration wait) {
        for (Run waiting : admission.waiting()) {
            stop(waiting);
        }
        List<Run> unfinished = registry.all().stream()
                .filter(run -> !run.state().status().isFinal() && !run.distributed()).toList();
        unfinished.forEach(this::stop);
        List<GeneratorShare> ownShares = List.copyOf(shares.values());
        ownShares.forEach(GeneratorShare::cancel);
        CompletableFuture<?>[] finishing = unfinished.stream().map(Run::finished).toArray(CompletableFuture[]::new);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            CompletableFuture.allOf(finishing).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            while (ownShares.stream().anyMatch(share -> !share.ended()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} runs had not recorded their final results within {}", unfinished.size(), wait);
        }
    }

    /** A waiting run leaves the queue at once; a running one is cancelled and ends on the lane. */
    private void stop(Run run) {
        if (run.distributed()) {
            cluster.cancel(run); // every node, this one included, ends it as the cluster decides
        }
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
        if (run.distributed()) {
            cluster.launch(run);
            return;
        }
        RunRecorder recorder = new RunRecorder(prepared.stepSuccess(), prepared.layout().checks().size());
        Workload workload = Plans.workloadOf(definition.workload());
        HostCpu.CpuTimes cpuAtStart = hostCpu.now();
        RunSampler sampler = new RunSampler(recorder, Plans.openPlanOf(workload), prepared.layout());
        if (admission.running().size() == 1) {
            // Collected now, before the schedule's clock starts, the run's recorders (about 2.5 MB of
            // histograms) sit in the old generation; left young, the run's first young collection
            // copies them, which paused the generator 5-12 ms on one core (docs/performance.md,
            // "The run's own start"). With another run under way a pause would stall it: no collection.
            System.gc();
        }
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
        ScheduledFuture<?> ticks = lane.every(FIRST_SAMPLE, SAMPLE_PERIOD, () -> {
            run.publish(sampler.sample(load.elapsedNanos(), true));
            if (++samples[0] % CHECKPOINT_EVERY_SAMPLES == 0) {
                checkpoint(run);
            }
        });
        load.completion().thenAcceptAsync(end -> {
            ticks.cancel(false);
            RunSnapshot last = sampler.sample(end.elapsedNanos(), true);
            finish(run, statusOf(end), reasonOf(end), last,
                    Warnings.of(run, end, last, recorder, prepared.successByStep(), hostCpu.stealShareSince(cpuAtStart)));
        }, lane.executor());
    }

    private void finish(Run run, RunStatus status, String reason, RunSnapshot last, List<String> warnings) {
        if (run.finish(status, clock.instant(), reason, last, warnings)) {
            synchronized (run) { // after any checkpoint in progress, and no checkpoint after it
                store.save(run);
            }
            listeners.forEach(listener -> listener.runFinished(run));
            Optional<Admission.Waiting> next = admission.release(run);
            next.ifPresent(waiting -> start(waiting.run(), waiting.load()));
            registry.evictBeyondRetention(this::evicted);
            if (next.isEmpty() && admission.running().isEmpty()) {
                // The run's connections and recorders lived long enough to be promoted and died in the
                // old generation; collected now, while no load runs, the next run does not grow the
                // heap beside them (docs/performance.md, "Memory").
                System.gc();
            }
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

    // ---- distributed runs: called by the cluster (see ClusterGateway) ----

    /** This node's cluster address (host:port), or null on a standalone node. */
    public String localMember() {
        return cluster.localMember();
    }

    /** Connects the cluster; until then (and on a standalone node) every test runs here alone. */
    public void attach(ClusterGateway gateway) {
        this.cluster = gateway;
    }

    /**
     * The run {@code id} as this node shows it: the one it has, or a new one for a distributed run
     * another node started (registered here, so this node lists and answers it).
     */
    public Run mirror(String id, TestDefinition definition, Instant createdAt) {
        synchronized (registry) {
            Optional<Run> known = registry.find(id);
            if (known.isPresent()) {
                return known.get();
            }
            Run run = new Run(id, definition, createdAt);
            run.markDistributed();
            run.coordinatedHere(false);
            registry.add(run);
            return run;
        }
    }

    /** The view that merges a distributed run's shipments on this node, with its generators' addresses. */
    public DistributedView viewOf(Run run, List<String> generatorMembers) {
        return new DistributedView(run, shapeOf(run.definition()), generatorMembers);
    }

    /**
     * Prepares this node's share {@code generator} of {@code count} of a distributed run: a running slot,
     * the definition compiled, every target allowed and reachable (one TCP connection opened and closed).
     *
     * @return null when the share is ready to start, else why it cannot run here
     */
    public String prepareShare(Run run, int generator, int count, ShipmentSink sink) {
        if (shares.containsKey(run.id())) {
            return null; // asked again (a retried prepare): it is prepared
        }
        stopWarmup.run();
        if (!admission.admitNow(run)) {
            return "it is running " + admission.running().size() + " tests already (barrage.limits.max-running)";
        }
        try {
            PreparedLoad prepared = prepare(run.definition());
            for (URI target : prepared.targets()) {
                String unreachable = TargetProbe.connect(target, run.definition().request() != null
                        ? run.definition().request().timeout() : RequestDefinition.DEFAULT_TIMEOUT);
                if (unreachable != null) {
                    admission.release(run).ifPresent(next -> start(next.run(), next.load()));
                    return unreachable;
                }
            }
            shares.put(run.id(), new GeneratorShare(run, generator, ExecutionSegment.of(generator, count), prepared, engine,
                    lane, sink, () -> admission.release(run).ifPresent(next -> start(next.run(), next.load())), hostCpu));
            return null;
        } catch (InvalidDefinitionException | TargetRefusedException e) {
            admission.release(run).ifPresent(next -> start(next.run(), next.load()));
            return e.getMessage();
        }
    }

    /** Starts this node's prepared share when {@link System#nanoTime()} reaches {@code startNanos}. */
    public boolean startShare(String id, long startNanos) {
        GeneratorShare share = shares.get(id);
        if (share == null) {
            return false;
        }
        share.startAt(startNanos);
        return true;
    }

    /** Stops this node's share of a distributed run (it ships how it ended); nothing when it has none. */
    public void cancelShare(String id) {
        GeneratorShare share = shares.get(id);
        if (share != null) {
            share.cancel();
        }
    }

    /** The common start instant is set: the run shows RUNNING from it, elapsed by {@code load}. */
    public void distributedStarted(Run run, Instant startedAt, long startNanos, Runnable cancelEverywhere,
                                   boolean coordinatedHere) {
        run.coordinatedHere(coordinatedHere);
        DistributedLoad load = new DistributedLoad(startNanos, run.definition().workload().totalDuration(), cancelEverywhere);
        if (run.started(startedAt, load)) {
            load.cancel();
        }
        listeners.forEach(listener -> listener.runStarted(run));
    }

    /** Ends a distributed run on this node as its view computed (every node computes the same end). */
    public void finishDistributed(Run run, DistributedView.Ending ending, boolean coordinatedHere) {
        run.coordinatedHere(coordinatedHere);
        shares.remove(run.id());
        run.describe(ending.distribution());
        if (run.load() instanceof DistributedLoad load) {
            load.ended(ending.end());
        }
        finish(run, ending.status(), ending.reason(), ending.last(), ending.warnings());
    }

    /** Ends a distributed run that never started (it could not be prepared everywhere). */
    public void failDistributed(Run run, String reason, boolean coordinatedHere) {
        run.coordinatedHere(coordinatedHere);
        shares.remove(run.id());
        admission.withdraw(run);
        finish(run, RunStatus.FAILED, reason, run.state().snapshot(), List.of("The run could not be prepared on every "
                + "generator, so none of them applied load: " + reason + "."));
    }

    /** Ends a distributed run cancelled before its start, wherever the cancel was asked for. */
    public void cancelledBeforeStart(Run run, boolean coordinatedHere) {
        run.coordinatedHere(coordinatedHere);
        shares.remove(run.id());
        admission.withdraw(run);
        finish(run, RunStatus.CANCELLED, null, run.state().snapshot(),
                List.of("The run was cancelled before it started; it never applied load."));
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
