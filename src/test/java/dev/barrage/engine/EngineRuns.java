package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.HttpRequestSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the engine tests share: waiting for other threads on a still fake clock, a finished run's
 * summary, a plain-http transport to a loopback target, and a thread factory that counts.
 */
final class EngineRuns {

    private EngineRuns() {
    }

    /** Virtual threads, counted: how many threads of its factory a run asked for. */
    static final class CountingThreads implements ThreadFactory {
        private final AtomicInteger made = new AtomicInteger();

        @Override
        public Thread newThread(Runnable body) {
            made.incrementAndGet();
            return Thread.ofVirtual().unstarted(body);
        }

        int made() {
            return made.get();
        }
    }

    /** A keep-alive GET of {@code url} over plain http, 5 s timeout: the transport the event loops serve. */
    static Http1Transport plainGet(String url) {
        return Http1Transport.create(new HttpRequestSpec("GET", URI.create(url), Map.of(), null, Duration.ofSeconds(5), true, false));
    }

    /** Waits (bounded) for other threads to reach a state; the fake clock does not move meanwhile. */
    static void awaitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The summary of a run that must complete (within 30 s, or it is cancelled); {@code open} is null
     * for the closed model.
     */
    static Summary summaryOf(LoadRun run, RunRecorder recorder, ScenarioPlan plan, OpenWorkload open) throws Exception {
        RunEnd end;
        try {
            end = run.completion().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(); // a run left going would take the carriers from the tests after this one
            throw e;
        }
        assertThat(end.outcome()).as("run outcome (failure: %s)", end.failure()).isEqualTo(RunEnd.Outcome.COMPLETED);
        OpenPlan openPlan = open == null ? null : new OpenPlan(open.pacer()::hitsBefore, open.pacer().durationNanos());
        return new RunSampler(recorder, openPlan, StepLayout.of(plan)).sample(end.elapsedNanos(), true).summary();
    }
}
