package dev.barrage.engine;

import dev.barrage.engine.pacing.ConstantRate;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pieces of the open-model dispatcher's per-hit work that can be timed alone, on one thread
 * (OpenModelRun reads the clock three times per hit, asks the pacer and the segment once, and pops
 * the idle stack once; a worker pushes itself back). What they leave of the dispatcher thread's CPU
 * per hit, as bench/dispatch-handoff.sh measures it on the real engine, is the hand-off proper:
 * the volatile writes and the unpark of a parked virtual thread (a ForkJoinPool submission that may
 * wake an idle carrier), and, below saturation, the dispatcher's own timed park between hits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DispatchPiecesBenchmark {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final ConstantRate pacer = new ConstantRate(1_000_000, HOUR);
    private final ExecutionSegment whole = ExecutionSegment.WHOLE;
    private final ExecutionSegment quarter = ExecutionSegment.of(2, 4); // a shard's n mod 4 == 1
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
    private long hit;

    @Setup
    public void setUp() {
        for (int i = 0; i < 64; i++) {
            idle.offerFirst(new Object());
        }
    }

    /** NanoClock.SYSTEM: System.nanoTime (a vDSO read of the clock source; kvm-clock on the bench VM). */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** The due time of the next hit (the plan is 3.6e9 hits long, so every hit is in it). */
    @Benchmark
    public long pacerDueNanos() {
        return pacer.dueNanos(hit++ & ((1L << 31) - 1));
    }

    /** The next hit of the whole plan: the standalone path. */
    @Benchmark
    public long segmentNextOwnedWhole() {
        return hit = whole.nextOwned(hit + 1);
    }

    /** The next hit of one shard of four (n mod 4 == 1): what a sharded dispatcher would add. */
    @Benchmark
    public long segmentNextOwnedShard() {
        return hit = quarter.nextOwned(hit + 1);
    }

    /** The idle stack's pop (the dispatcher) and push (the worker, after its request), uncontended. */
    @Benchmark
    public Object idlePopAndPush() {
        Object worker = idle.pollFirst();
        idle.offerFirst(worker);
        return worker;
    }
}
