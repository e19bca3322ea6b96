package dev.barrage.engine.recording;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recording cost a worker pays per request: {@link RunRecorder#requestEnded(Exchange, long)}
 * (the closed model's call) and the started/ended pair, with latencies spread over 50 µs..50 ms
 * so the histogram index varies as in a real run. One recorder is shared by every benchmark
 * thread ({@code Scope.Benchmark}), as it is shared by every worker of a run; the 2-thread
 * variant shows the contention of two carriers (the bench machine has 2 CPUs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RunRecorderBenchmark {

    private static final int LATENCIES = 4096; // a power of two

    @State(Scope.Benchmark)
    public static class Shared {
        final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
    }

    @State(Scope.Thread)
    public static class Worker {
        final long[] latencyNanos = new long[LATENCIES];
        final Exchange ok = Exchange.response(200, 79, 150);
        final Exchange notFound = Exchange.response(404, 79, 150);
        final Exchange timeout = Exchange.failure(ErrorKind.TIMEOUT, 79, 0);
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < LATENCIES; i++) {
                latencyNanos[i] = (long) (50_000 * Math.pow(1000, random.nextDouble())); // log-uniform
            }
        }

        long nextLatency() {
            return latencyNanos[next++ & (LATENCIES - 1)];
        }
    }

    @Benchmark
    public void requestEnded(Shared shared, Worker worker) {
        shared.recorder.requestEnded(worker.ok, worker.nextLatency());
    }

    @Benchmark
    public void requestStartedAndEnded(Shared shared, Worker worker) {
        shared.recorder.requestStarted();
        shared.recorder.requestEnded(worker.ok, worker.nextLatency());
    }

    /** One request in 64 fails (a 404 or a timeout): the failure paths are no slower. */
    @Benchmark
    public void requestEndedMixed(Shared shared, Worker worker) {
        int n = worker.next;
        Exchange exchange = (n & 63) == 0 ? worker.notFound : (n & 63) == 32 ? worker.timeout : worker.ok;
        shared.recorder.requestEnded(exchange, worker.nextLatency());
    }

    @Benchmark
    @Threads(2)
    public void requestEndedTwoThreads(Shared shared, Worker worker) {
        shared.recorder.requestEnded(worker.ok, worker.nextLatency());
    }

    /** The open model's call: adds the service-time histogram and the lag maximum. */
    @Benchmark
    public void openModelRequestEnded(Shared shared, Worker worker) {
        long latency = worker.nextLatency();
        shared.recorder.requestEnded(worker.ok, latency, latency - 1_000, 1_000);
    }
}
