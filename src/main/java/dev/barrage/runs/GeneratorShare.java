package dev.barrage.runs;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.ExecutionSegment;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.RunEnd;
import dev.barrage.engine.Workload;
import dev.barrage.engine.recording.IntervalShipment;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.transport.Transport;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of a distributed run: prepared ahead, started at the run's common instant,
 * sampled once a second like a local run, and every closed interval shipped to the nodes that merge.
 * Its own snapshot is handed to the run for this node's metrics (each node exports its own share).
 *
 * <p>Thread-safety: {@link #startAt} and {@link #cancel} may be called from any thread (they
 * synchronize on the share); ticks and the end run on the aggregation lane, and each samples, ships
 * and numbers its messages under the share's lock, so shipments leave in the order they were taken.
 */
final class GeneratorShare {

    private static final Logger log = LoggerFactory.getLogger(GeneratorShare.class);

    private final Run run;
    private final int generator;
    private final ExecutionSegment segment;
    private final PreparedLoad prepared;
    private final LoadEngine engine;
    private final AggregationLane lane;
    private final ShipmentSink sink;
    private final Runnable loadEnded;
    private final HostCpu hostCpu;
    private final RunRecorder recorder;
    private final RunSampler sampler;
    private LoadRun load; // guarded by this
    private boolean scheduled; // guarded by this
    private boolean cancelled; // guarded by this
    private boolean ended; // guarded by this
    private long messages; // guarded by this
    private double startSkewMs; // guarded by this
    private HostCpu.CpuTimes cpuAtStart; // guarded by this

    /**
     * @param loadEnded called once this node's load has ended, before the share ships its last
     *                  message: the node applies no load for the run any more, so its running slot
     *                  is free although the run goes on until every node's end is merged
     * @param hostCpu   this machine's CPU time, read at the share's start and end for its steal share
     */
    GeneratorShare(Run run, int generator, ExecutionSegment segment, PreparedLoad prepared, LoadEngine engine,
                   AggregationLane lane, ShipmentSink sink, Runnable loadEnded, HostCpu hostCpu) {
        this.run = run;
        this.generator = generator;
        this.segment = segment;
        this.prepared = prepared;
        this.engine = engine;
        this.lane = lane;
        this.sink = sink;
        this.loadEnded = loadEnded;
        this.hostCpu = hostCpu;
        this.recorder = new RunRecorder(prepared.stepSuccess(), prepared.layout().checks().size());
        this.sampler = new RunSampler(recorder, Plans.openPlanOf(Plans.workloadOf(run.definition().workload())),
                prepared.layout());
        sampler.shipIntervals();
    }

    /**
     * Starts the share when {@link System#nanoTime()} reaches {@code startNanos}, on a thread of its own
     * that sleeps until then (a start instant in the past starts at once). A second call does nothing.
     */
    synchronized void startAt(long startNanos) {
        if (scheduled || ended) {
            return;
        }
        scheduled = true;
        Thread.ofPlatform().name("barrage-start-" + run.id()).daemon().start(() -> {
            long wait;
            while ((wait = startNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            start(startNanos);
        });
    }

    private synchronized void start(long startNanos) {
        if (cancelled || ended) {
            endWithoutLoad(RunEnd.Outcome.CANCELLED, null);
            return;
        }
        Workload workload = Plans.workloadOf(run.definition().workload());
        long skewNanos = System.nanoTime() - startNanos;
        startSkewMs = Math.round(skewNanos / 1e3) / 1e3;
        try {
            load = engine.start(workload, segment, prepared.plan(), prepared.transports().toArray(Transport[]::new), recorder,
                    Thread.ofVirtual().name("barrage-" + run.id() + "-", 0).factory());
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("The share of run {} could not start", run.id(), e);
            endWithoutLoad(RunEnd.Outcome.FAILED, "the engine could not start: " + e);
            return;
        }
        cpuAtStart = hostCpu.now(); // once the load is under way: reading /proc must not delay the common start
        LoadRun started = load;
        ScheduledFuture<?> ticks = lane.every(RunService.FIRST_SAMPLE, RunService.SAMPLE_PERIOD, () -> ship(started::elapsedNanos, null));
        started.completion().thenAcceptAsync(end -> {
            ticks.cancel(false);
            loadEnded.run(); // before the last message: when the run's end is merged anywhere, the slot is free here
            ship(end::elapsedNanos, end);
        }, lane.executor());
    }

    /** Stops the share: before its start it never starts; running, its load is cancelled and it ships its end. */
    synchronized void cancel() {
        cancelled = true;
        if (load != null) {
            load.cancel();
        } else if (!scheduled) {
            endWithoutLoad(RunEnd.Outcome.CANCELLED, null); // prepared only: nothing will ever start it
        }
    }

    /** Whether the share has shipped its last message (or will never run). */
    synchronized boolean ended() {
        return ended;
    }

    /**
     * Samples, then ships what the sample closed, all under the share's lock: a tick still running when
     * the load ends (the lane has more than one thread) cannot take intervals that the end's message
     * then leaves behind, and nothing is sampled or sent after the last message.
     */
    private synchronized void ship(LongSupplier elapsedNanos, RunEnd end) {
        if (ended) {
            return;
        }
        RunSnapshot snapshot = sampler.sample(elapsedNanos.getAsLong(), true);
        run.localShare(snapshot, startSkewMs);
        List<IntervalShipment> intervals = sampler.drainShipments();
        for (int i = 0; i < intervals.size(); i++) {
            boolean last = end != null && i == intervals.size() - 1;
            send(intervals.get(i), last, end);
        }
        if (end != null && intervals.isEmpty()) {
            send(null, true, end);
        }
    }

    private synchronized void endWithoutLoad(RunEnd.Outcome outcome, String failure) {
        if (!ended) {
            ended = true;
            sink.ship(run.id(), new NodeShipment(generator, ++messages, null, startSkewMs, true, outcome, failure, null));
        }
    }

    private void send(IntervalShipment interval, boolean last, RunEnd end) {
        RunEnd.Outcome outcome = last ? end.outcome() : null;
        String failure = last && end.failure() != null ? "the engine failed: " + end.failure() : null;
        Double stealShare = last ? hostCpu.stealShareSince(cpuAtStart) : null;
        ended |= last;
        sink.ship(run.id(), new NodeShipment(generator, ++messages, interval, startSkewMs, last, outcome, failure,
                stealShare));
    }
}
