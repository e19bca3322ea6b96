package dev.barrage.metrics;

import dev.barrage.runs.Run;
import dev.barrage.runs.RunListener;
import dev.barrage.runs.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Service-level run metrics: {@code load_tester_runs_active} and {@code load_tester_runs_total{outcome}}.
 *
 * <p>Thread-safety: thread-safe (Micrometer meters and an atomic gauge value).
 */
public final class RunOutcomeMetrics implements RunListener {

    private final AtomicInteger active = new AtomicInteger();
    private final Map<RunStatus, Counter> outcomes = new EnumMap<>(RunStatus.class);

    public RunOutcomeMetrics(MeterRegistry registry) {
        Gauge.builder("load_tester_runs_active", active, AtomicInteger::get)
                .description("Runs currently applying load").register(registry);
        outcomes.put(RunStatus.COMPLETED, outcome(registry, "completed"));
        outcomes.put(RunStatus.CANCELLED, outcome(registry, "cancelled"));
        outcomes.put(RunStatus.FAILED, outcome(registry, "failed"));
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("load_tester_runs").tag("outcome", outcome)
                .description("Runs that ended, by outcome").register(registry);
    }

    @Override
    public void runStarted(Run run) {
        active.incrementAndGet();
    }

    @Override
    public void runFinished(Run run) {
        if (run.state().startedAt() != null) {
            active.decrementAndGet();
        }
        outcomes.get(run.state().status()).increment();
    }
}
