package dev.barrage.warmup;

import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.OpenWorkload;
import dev.barrage.engine.Workload;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.HttpRequestSpec;
import dev.barrage.engine.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The warm-up a freshly started Barrage runs before it says it is ready: the engine's own request
 * path (the open model's schedule, closed-model users, the transport, the recorder and the sampler)
 * against a {@link LoopbackResponder} in this JVM, in slices that alternate between the two models
 * (and within each, between a constant load and a ramp), until each model has sent enough requests,
 * since the compilers were last busy, for its per-request methods to reach the optimising compiler,
 * and the JIT has gone quiet ({@link JitWarmup}). Without it the first run after start-up shares its
 * core with the compiler and falls behind its schedule (docs/performance.md, "The first run after
 * start-up").
 *
 * <p>Thread-safety: stateless; each {@link #run} uses its own responder and engine.
 */
public final class EngineWarmup {

    /**
     * @param maxDuration the longest the warm-up may take; it ends there, warm or not
     * @param slice       the length of one slice of one model
     * @param quietShare  compile time per slice time that counts as quiet, 0..1
     * @param openRate    requests per second of the open-model slices
     * @param closedUsers users of the closed-model slices
     * @param minRequestsPerModel requests each model sends, since the JIT was last busy, before the warm-up may
     *                            end ({@link JitThresholds})
     */
    public record Settings(Duration maxDuration, Duration slice, double quietShare, double openRate, int closedUsers,
                           long minRequestsPerModel) {
    }

    /**
     * @param quiet         the JIT went quiet before the limit
     * @param stopped       stopped early (a run needed the generator, or shutdown)
     * @param elapsed       how long the warm-up took
     * @param slices        slices of load run
     * @param requests      requests sent to the responder
     * @param compileMillis the CPU time the JIT's compiler threads used meanwhile ({@link CompilerCpu})
     */
    public record Result(boolean quiet, boolean stopped, Duration elapsed, int slices, long requests,
                         long compileMillis) {
    }

    private static final int OPEN_MAX_CONCURRENCY = 64;
    private static final Duration STOP_CHECK = Duration.ofMillis(20);

    private EngineWarmup() {
    }

    /** @param engine the service's engine, so the warm-up runs the paths its runs take (event loops or not) */
    public static Result run(LoadEngine engine, Settings settings, BooleanSupplier stop) throws IOException, InterruptedException {
        try (LoopbackResponder target = LoopbackResponder.start()) {
            Transport transport = Http1Transport.create(new HttpRequestSpec("GET", URI.create(target.baseUrl()),
                    Map.of(), null, Duration.ofSeconds(5), true, false));
            ThreadFactory workers = Thread.ofVirtual().name("barrage-warmup-", 0).factory();
            Recording openRecording = new Recording();
            Recording closedRecording = new Recording();
            int[] openSlices = {0};
            int[] closedSlices = {0};
            JitWarmup.Slice open = nanos -> slice(engine,
                    new OpenWorkload(openPacer(settings.openRate(), nanos, openSlices[0]++), OPEN_MAX_CONCURRENCY),
                    transport, workers, stop, openRecording);
            JitWarmup.Slice closed = nanos -> slice(engine,
                    closedWorkload(settings.closedUsers(), nanos, closedSlices[0]++), transport, workers, stop,
                    closedRecording);
            JitWarmup.Outcome outcome = new JitWarmup(List.of(open, closed), System::nanoTime, CompilerCpu.ofThisJvm(),
                    settings.slice().toNanos(), settings.maxDuration().toNanos(), settings.quietShare(),
                    settings.minRequestsPerModel()).run(stop);
            return new Result(outcome.quiet(), outcome.stopped(), Duration.ofNanos(outcome.elapsedNanos()),
                    outcome.slices(), outcome.requests(), outcome.compileMillis());
        }
    }

    /**
     * Every other open slice ramps from 0 to twice the rate instead of holding it. A run's pacing is
     * either kind; and where a constant slice of this rate is behind its schedule on a core it shares
     * with the responder, a ramp starts on schedule, so the paths that wait for the next due time and
     * that add connections as the rate climbs are compiled too.
     */
    static Pacer openPacer(double rate, long nanos, int slice) {
        return slice % 2 == 0 ? new ConstantRate(rate, nanos) : Stages.of(List.of(new Stages.Stage(nanos, 2 * rate)));
    }

    /** Likewise every other closed slice ramps its users from 0 to twice the number, adding users as a run's ramp does. */
    static ClosedWorkload closedWorkload(int users, long nanos, int slice) {
        return slice % 2 == 0 ? ClosedWorkload.constant(users, Duration.ofNanos(nanos))
                : new ClosedWorkload(Stages.of(List.of(new Stages.Stage(nanos, 2.0 * users))));
    }

    /**
     * Runs one slice to its end, or cancels it as soon as {@code stop} says so (a distributed run's
     * share starts at an instant shared with other nodes, and must not compete with the warm-up);
     * samples it as the service samples a run and answers the requests sent.
     */
    private static long slice(LoadEngine engine, Workload workload, Transport transport, ThreadFactory workers,
                              BooleanSupplier stop, Recording recording) throws InterruptedException {
        LoadRun load = engine.start(workload, transport, recording.recorder, workers);
        try {
            while (true) {
                try {
                    load.completion().get(STOP_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    if (stop.getAsBoolean()) {
                        load.cancel();
                    }
                }
            }
        } catch (InterruptedException e) {
            load.cancel();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run's completion never fails", e);
        }
        return recording.requestsSinceLast(load.elapsedNanos());
    }

    /**
     * One model's recorder and sampler, kept across its slices: a run's histograms are about 3 MB,
     * and a new set per half-second slice, each promoted before it died, grew the old generation by
     * tens of MB during the warm-up (docs/performance.md, "Memory").
     */
    private static final class Recording {

        final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
        private final RunSampler sampler = new RunSampler(recorder);
        private long requests;

        /** Samples as the service does at a run's end, and answers the requests sent since the last call. */
        long requestsSinceLast(long elapsedNanos) {
            long total = sampler.sample(elapsedNanos, true).summary().requests();
            long slice = total - requests;
            requests = total;
            recorder.resetMaxima(); // the next slice's maxima rise from 0, as a run's do
            return slice;
        }
    }
}
