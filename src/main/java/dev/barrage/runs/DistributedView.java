package dev.barrage.runs;

import dev.barrage.engine.ExecutionSegment;
import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.IntervalShipment;
import dev.barrage.engine.recording.RecorderTotals;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.ShipmentMerger;
import dev.barrage.engine.recording.StatusRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A distributed run as every node of the cluster merges it from its generators' shipments. Second t
 * of the merged timeline is closed once every generator still expected has reported second t or a
 * later one: then all generators' intervals of second t are added to one recorder and sampled as one
 * run's, so every node computes the same timeline, summary, thresholds and warnings from the same
 * shipments, and the figures equal those of one generator that sent every request.
 *
 * <p>Thread-safety: every method synchronizes on the view (the cluster's poller drives it; readers
 * see the run's published state, never the view).
 */
public final class DistributedView {

    private final Run run;
    private final RunRecorder merged;
    private final ShipmentMerger merger;
    private final RunSampler sampler;
    private final Map<String, StatusRange> successByStep;
    private final Generator[] generators;
    private long lastCompleteSecond;
    private long mergedElapsedNanos;

    /** One generator's messages waiting for their second to close, and what it has said of itself. */
    private static final class Generator {
        final String member;
        final ExecutionSegment segment;
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        long nextMessage = 1;
        /** When its last message was taken (System.nanoTime()); Long.MIN_VALUE before its first. */
        long lastHeardNanos = Long.MIN_VALUE;
        long lastT;
        long lastElapsedNanos;
        long requests;
        double startSkewMs;
        boolean reported;
        boolean finished;
        boolean lost;
        RunEnd.Outcome outcome;
        String failure;
        /** What its last message said of its machine's CPU steal; null when it did not say. */
        Double stealShare;

        Generator(String member, ExecutionSegment segment) {
            this.member = member;
            this.segment = segment;
        }

        boolean expectsMore() {
            return !finished && !lost;
        }
    }

    private record Pending(long t, IntervalShipment interval) {
    }

    /** How a distributed run ended, as every node finishes it. */
    public record Ending(RunStatus status, String reason, RunSnapshot last, List<String> warnings, Distribution distribution,
                  RunEnd end) {
    }

    DistributedView(Run run, PreparedLoad shape, List<String> members) {
        this.run = run;
        this.merged = new RunRecorder(shape.stepSuccess(), shape.layout().checks().size());
        this.merger = new ShipmentMerger(merged);
        this.sampler = new RunSampler(merged, Plans.openPlanOf(Plans.workloadOf(run.definition().workload())), shape.layout());
        this.successByStep = shape.successByStep();
        this.generators = new Generator[members.size()];
        for (int i = 0; i < generators.length; i++) {
            generators[i] = new Generator(members.get(i), ExecutionSegment.of(i + 1, generators.length));
        }
    }

    public Run run() {
        return run;
    }

    public int generators() {
        return generators.length;
    }

    /** The cluster address of generator {@code generator} (from 1). */
    public String member(int generator) {
        return generators[generator - 1].member;
    }

    /** The number of the message expected next from {@code generator}. */
    public synchronized long nextMessage(int generator) {
        return generators[generator - 1].nextMessage;
    }

    /**
     * Whether {@code generator} ended its share early without a cancel of the run (its node shut down):
     * the coordinator counts it lost.
     */
    public synchronized boolean stoppedEarly(int generator) {
        Generator g = generators[generator - 1];
        return g.finished && g.outcome == RunEnd.Outcome.CANCELLED;
    }

    /** Whether {@code generator} has sent its last message, or was declared lost. */
    public synchronized boolean done(int generator) {
        Generator g = generators[generator - 1];
        return !g.expectsMore();
    }

    /**
     * Takes a generator's next message; one that is not the next expected (a repeat) is ignored.
     *
     * @return whether it was taken
     */
    public synchronized boolean offer(NodeShipment shipment, long receivedNanos) {
        Generator g = generators[shipment.generator() - 1];
        if (shipment.message() != g.nextMessage || !g.expectsMore()) {
            return false;
        }
        g.nextMessage++;
        g.lastHeardNanos = receivedNanos;
        g.reported = true;
        g.startSkewMs = shipment.startSkewMs();
        IntervalShipment interval = shipment.interval();
        if (interval != null) {
            long t = Math.max(Math.round(interval.elapsedNanos() / 1e9), g.lastT + 1);
            g.lastT = t;
            g.lastElapsedNanos = interval.elapsedNanos();
            g.requests = requestsIn(interval.totals());
            g.pending.add(new Pending(t, interval));
        }
        if (shipment.last()) {
            g.finished = true;
            g.outcome = shipment.outcome();
            g.failure = shipment.failure();
            g.stealShare = shipment.stealShare();
        }
        return true;
    }

    /**
     * The generators still expected that have sent nothing for {@code limitNanos}, counted from their
     * last message or, before their first, from the start instant: a share that never started, or a
     * node that stopped shipping while it still answers the cluster's heartbeats.
     */
    public synchronized List<Integer> silent(long nowNanos, long startNanos, long limitNanos) {
        List<Integer> silent = new ArrayList<>();
        for (int i = 0; i < generators.length; i++) {
            Generator g = generators[i];
            long since = g.lastHeardNanos == Long.MIN_VALUE ? startNanos : g.lastHeardNanos;
            if (g.expectsMore() && nowNanos - since > limitNanos) {
                silent.add(i + 1);
            }
        }
        return silent;
    }

    /** No more messages will be taken from {@code generator}: it left the cluster before its last one. */
    public synchronized void lose(int generator) {
        Generator g = generators[generator - 1];
        if (g.expectsMore()) {
            g.lost = true;
        }
    }

    /**
     * Merges every second all generators still expected have reported, and publishes the merged
     * figures to the run; answers whether anything was merged.
     */
    public synchronized boolean advance(String coordinator) {
        boolean mergedAny = false;
        while (true) {
            long t = lastCompleteSecond + 1;
            boolean waiting = false;
            boolean anyPending = false;
            for (Generator g : generators) {
                anyPending |= !g.pending.isEmpty();
                waiting |= g.expectsMore() && g.lastT < t;
            }
            if (!anyPending || waiting) {
                break;
            }
            long elapsed = -1;
            for (Generator g : generators) {
                while (!g.pending.isEmpty() && g.pending.peek().t() <= t) {
                    IntervalShipment interval = g.pending.poll().interval();
                    merger.add(g.member + "#" + g.segment, interval);
                    elapsed = Math.max(elapsed, interval.elapsedNanos());
                }
            }
            lastCompleteSecond = t;
            if (elapsed >= 0) {
                mergedElapsedNanos = Math.max(mergedElapsedNanos, elapsed);
                run.publish(sampler.sample(mergedElapsedNanos, true), distribution(coordinator, null));
                mergedAny = true;
            }
        }
        if (!mergedAny) {
            run.describe(distribution(coordinator, null));
        }
        return mergedAny;
    }

    /** Whether every generator has finished or was lost, and all they sent is merged. */
    public synchronized boolean complete() {
        for (Generator g : generators) {
            if (g.expectsMore() || !g.pending.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The run's end, once {@link #complete()}: cancelled when asked to, failed when a generator failed or
     * was lost under {@code abort}, completed otherwise (a loss under {@code continue} is a warning and
     * an effective load fraction below 1).
     */
    public synchronized Ending ending(String coordinator, boolean cancelRequested, java.util.Set<Integer> lostGenerators) {
        RunSnapshot last = sampler.sample(mergedElapsedNanos, true);
        List<String> nodeWarnings = new ArrayList<>();
        String reason = null;
        boolean failed = false;
        for (int i = 0; i < generators.length; i++) {
            Generator g = generators[i];
            String who = "Generator " + (i + 1) + " of " + generators.length + " (" + g.member + ", segment " + g.segment + ")";
            if (lostGenerators.contains(i + 1) || g.lost) {
                g.lost = true;
                String when = g.reported ? String.format(java.util.Locale.ROOT, "after %.3f s", g.lastElapsedNanos / 1e9)
                        : "before it reported anything";
                boolean abort = run.definition().onNodeLoss() != OnNodeLoss.CONTINUE;
                nodeWarnings.add(who + " left the cluster " + when + (abort
                        ? "; onNodeLoss is abort, so the run was stopped: the results cover what was merged up to then."
                        : "; onNodeLoss is continue, so the others went on without its share: effectiveLoadFraction says how much of the plan was applied."));
                if (abort && reason == null) {
                    reason = who + " left the cluster " + when + " (onNodeLoss: abort)";
                    failed = true;
                }
            } else if (g.outcome == RunEnd.Outcome.FAILED && reason == null) {
                reason = who + " failed: " + g.failure;
                failed = true;
            }
            if (g.requests > 0) {
                Warnings.steal(who + ": during its share the hypervisor gave", "its machine's", g.stealShare)
                        .ifPresent(nodeWarnings::add);
            }
        }
        RunEnd.Outcome outcome = failed ? RunEnd.Outcome.FAILED
                : cancelRequested ? RunEnd.Outcome.CANCELLED : RunEnd.Outcome.COMPLETED;
        RunEnd end = new RunEnd(outcome, mergedElapsedNanos, null);
        List<String> warnings = new ArrayList<>(Warnings.of(run, end, last, merged, successByStep, null));
        warnings.addAll(nodeWarnings);
        RunStatus status = switch (outcome) {
            case COMPLETED -> RunStatus.COMPLETED;
            case CANCELLED -> RunStatus.CANCELLED;
            case FAILED -> RunStatus.FAILED;
        };
        return new Ending(status, reason, last, warnings, distribution(coordinator, effectiveLoadFraction()), end);
    }

    /** The share of the planned load applied: each generator's part times the share of the duration it covered. */
    private double effectiveLoadFraction() {
        long planned = run.definition().workload().totalDuration().toNanos();
        double applied = 0;
        for (Generator g : generators) {
            double width = (double) (g.segment.toNumerator() - g.segment.fromNumerator()) / g.segment.denominator();
            double covered = planned <= 0 ? 1.0 : Math.min(1.0, (double) g.lastElapsedNanos / planned);
            applied += width * covered;
        }
        return Math.round(applied * 10_000) / 10_000.0;
    }

    private Distribution distribution(String coordinator, Double effectiveLoadFraction) {
        List<Distribution.NodeStatus> nodes = new ArrayList<>();
        for (Generator g : generators) {
            nodes.add(new Distribution.NodeStatus(g.member, g.segment.toString(), statusOf(g),
                    g.reported ? g.startSkewMs : null, g.lastT, g.requests, g.lost));
        }
        return new Distribution(coordinator, nodes, lastCompleteSecond, effectiveLoadFraction);
    }

    private static String statusOf(Generator g) {
        if (g.lost) {
            return "lost";
        }
        if (g.finished) {
            return switch (g.outcome) {
                case COMPLETED -> "completed";
                case CANCELLED -> "cancelled";
                case FAILED -> "failed";
            };
        }
        return g.reported ? "running" : "preparing";
    }

    /** Responses and transport failures in a recorder's totals (with steps, the steps' own counts). */
    private static long requestsIn(RecorderTotals totals) {
        long requests = 0;
        if (totals.steps().length == 0) {
            requests += sumOfPairs(totals.statusCounts());
            for (long errors : totals.errorCounts()) {
                requests += errors;
            }
            return requests;
        }
        for (RecorderTotals.StepTotals step : totals.steps()) {
            requests += sumOfPairs(step.statusCounts());
            for (long errors : step.errorCounts()) {
                requests += errors;
            }
        }
        return requests;
    }

    private static long sumOfPairs(long[] statusAndCount) {
        long sum = 0;
        for (int i = 1; i < statusAndCount.length; i += 2) {
            sum += statusAndCount[i];
        }
        return sum;
    }
}
