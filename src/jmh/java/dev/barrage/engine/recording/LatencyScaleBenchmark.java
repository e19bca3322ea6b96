package dev.barrage.engine.recording;

import java.util.SplittableRandom;
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
 * {@link LatencyScale#toMicros(long)} over varied inputs (including negatives and values past the
 * hour clamp), read from an array so the JIT cannot fold the call into a constant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LatencyScaleBenchmark {

    private static final int SIZE = 4096; // a power of two

    private final long[] nanos = new long[SIZE];
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < SIZE; i++) {
            nanos[i] = switch (i % 16) {
                case 0 -> -random.nextLong(1_000_000);           // a clock that went backwards
                case 1 -> 3_600_000_000_000L + random.nextLong(1_000_000_000_000L); // past the clamp
                default -> (long) (1_000 * Math.pow(1_000_000, random.nextDouble())); // 1 µs .. 1 s
            };
        }
    }

    /** The array read and index step alone: subtract it from {@link #toMicros()}. */
    @Benchmark
    public long baseline() {
        return nanos[next++ & (SIZE - 1)];
    }

    @Benchmark
    public long toMicros() {
        return LatencyScale.toMicros(nanos[next++ & (SIZE - 1)]);
    }
}
