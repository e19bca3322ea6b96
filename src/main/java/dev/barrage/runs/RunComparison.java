package dev.barrage.runs;

import dev.barrage.engine.recording.LatencySummary;
import dev.barrage.engine.recording.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * Two runs side by side (GET /tests/compare): each figure of their summaries with its change from
 * {@code a} to {@code b}, and {@code a}'s thresholds judged on {@code b} (did the new run keep the
 * old run's promises?). Immutable.
 */
public record RunComparison(Side a, Side b, List<Change> changes, List<ThresholdResult> thresholdsOfAOnB) {

    /** One run, as compared. */
    public record Side(String id, String name, RunStatus status, Verdict verdict, Summary summary) {
    }

    /**
     * One figure: its value in each run, {@code b - a}, and that change relative to {@code a}
     * (null when {@code a} is 0).
     */
    public record Change(String figure, double a, double b, double change, Double relativeChange) {
    }

    public static RunComparison of(Run a, Run b) {
        Summary before = a.state().snapshot().summary();
        Summary after = b.state().snapshot().summary();
        List<Change> changes = new ArrayList<>();
        add(changes, "requests", before.requests(), after.requests());
        add(changes, "failures", before.failures(), after.failures());
        add(changes, "errorRate", before.errorRate(), after.errorRate());
        add(changes, "throughput", before.throughput(), after.throughput());
        LatencySummary x = before.latencyMs();
        LatencySummary y = after.latencyMs();
        add(changes, "latencyMs.mean", x.mean(), y.mean());
        add(changes, "latencyMs.p50", x.p50(), y.p50());
        add(changes, "latencyMs.p90", x.p90(), y.p90());
        add(changes, "latencyMs.p95", x.p95(), y.p95());
        add(changes, "latencyMs.p99", x.p99(), y.p99());
        add(changes, "latencyMs.p999", x.p999(), y.p999());
        add(changes, "latencyMs.max", x.max(), y.max());
        List<ThresholdResult> judged = a.definition().thresholds().stream()
                .map(threshold -> Threshold.parse(threshold).judge(after))
                .toList();
        return new RunComparison(side(a), side(b), List.copyOf(changes), judged);
    }

    private static Side side(Run run) {
        RunState state = run.state();
        return new Side(run.id(), run.definition().name(), state.status(), state.verdict(), state.snapshot().summary());
    }

    private static void add(List<Change> changes, String figure, double a, double b) {
        double change = round6(b - a);
        Double relative = a == 0 ? null : round6((b - a) / a);
        changes.add(new Change(figure, a, b, change, relative));
    }

    private static double round6(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
