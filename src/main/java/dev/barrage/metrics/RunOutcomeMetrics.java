package dev.barrage.metrics;

import dev.barrage.runs.Run;
import dev.barrage.runs.RunListener;
import dev.barrage.runs.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Service-level run metrics: {@code load_tester_runs_active} and {@code load_tester_runs_total{outcome}}.
 *
 * A distributed run counts once in a cluster: on the node that coordinates it.
 *
 * <p>Thread-safety: thread-safe (Micrometer meters, an atomic gauge value and a concurrent set).
 */
public final class RunOutcomeMetrics implements RunListener {

    private final AtomicInteger active = new AtomicInteger();
    /** The runs counted in {@code active}: a distributed run's start counts on its coordinator only. */
    private final Set<Run> counted = ConcurrentHashMap.newKeySet();
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
        if (run.coordinatedHere() && counted.add(run)) {
            active.incrementAndGet();
        }
    }

    /** A distributed run's outcome counts on the node that coordinates it at its end, so a cluster sum counts it once. */
    @Override
    public void runFinished(Run run) {
        if (counted.remove(run)) {
            active.decrementAndGet();
        }
        if (run.coordinatedHere()) {
            outcomes.get(run.state().status()).increment();
        }
    }
}
