package dev.barrage.metrics;

import dev.barrage.engine.recording.CheckCounts;
import dev.barrage.engine.recording.GroupSummary;
import dev.barrage.engine.recording.LatencyBuckets;
import dev.barrage.engine.recording.StepBuckets;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunService;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;

/**
 * Publishes each retained run's series straight from its latest immutable snapshot at scrape time:
 * nothing on the request path touches Micrometer, and a run's series disappear with the run.
 *
 * <p>Thread-safety: stateless; scrapes may run concurrently.
 */
public final class RunMetricsCollector implements MultiCollector {

    static final String REQUESTS = "load_tester_requests";
    static final String LATENCY = "load_tester_request_latency_seconds";
    static final String IN_FLIGHT = "load_tester_in_flight_requests";
    static final String DELAYED = "load_tester_delayed_requests";
    static final String CONNECT_DELAYED = "load_tester_connect_delayed_requests";
    static final String DROPPED = "load_tester_dropped_requests";
    static final String SCHEDULER_LAG = "load_tester_scheduler_lag_seconds";
    static final String CHECKS = "load_tester_checks";
    /** Exported as {@code load_tester_run_info}: info metrics get their suffix from the client. */
    static final String RUN_INFO = "load_tester_run";
    static final String RUN_NODES = "load_tester_run_nodes";
    static final String START_SKEW = "load_tester_run_start_skew_seconds";

    private final RunService runs;

    public RunMetricsCollector(RunService runs) {
        this.runs = runs;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name(REQUESTS)
                .help("Requests that ended, by run, step and outcome (success = status in expectedStatus or the step's status check)");
        CounterSnapshot.Builder checks = CounterSnapshot.builder().name(CHECKS)
                .help("Checks (and captures) evaluated, by run, step and result (passed or failed)");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name(LATENCY)
                .help("Request latency in seconds, measured from when each request was due");
        GaugeSnapshot.Builder inFlight = GaugeSnapshot.builder().name(IN_FLIGHT)
                .help("Requests of the run currently waiting for their response");
        CounterSnapshot.Builder delayed = CounterSnapshot.builder().name(DELAYED)
                .help("Open-model requests that started late because maxConcurrency requests were in flight");
        CounterSnapshot.Builder connectDelayed = CounterSnapshot.builder().name(CONNECT_DELAYED)
                .help("Open-model requests that started late because they waited for a new connection to the target");
        CounterSnapshot.Builder dropped = CounterSnapshot.builder().name(DROPPED)
                .help("Open-model requests due before the end of the duration that could not start by then (not sent)");
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name(SCHEDULER_LAG)
                .help("Open model: the most a request of the last second was sent after it was due");
        InfoSnapshot.Builder info = InfoSnapshot.builder().name(RUN_INFO)
                .help("The run's name beside its id, so dashboards can show names");
        GaugeSnapshot.Builder nodes = GaugeSnapshot.builder().name(RUN_NODES)
                .help("Cluster nodes that apply the distributed run (its generators)");
        GaugeSnapshot.Builder skew = GaugeSnapshot.builder().name(START_SKEW)
                .help("How much later than the run's common start instant this node's share started, by the cluster clock");
        String node = runs.localMember();
        for (Run run : runs.all()) {
            info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                    .labels(Labels.of("name", run.definition().name(), "test", run.id())).build());
            if (run.distributed()) {
                nodes.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("test", run.id()))
                        .value(run.state().distribution() == null ? 0 : run.state().distribution().nodes().size()).build());
                Double skewMs = run.localStartSkewMs();
                if (skewMs != null) {
                    skew.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("node", node, "test", run.id()))
                            .value(skewMs / 1000.0).build());
                }
            }
            // each node exports what it applied itself: a distributed run's share here, none when it applies none
            RunSnapshot snapshot = run.distributed() ? run.localShare() : run.state().snapshot();
            if (snapshot == null) {
                continue;
            }
            Labels test = node == null ? Labels.of("test", run.id()) : Labels.of("node", node, "test", run.id());
            perStep(test, snapshot, requests, latency, checks);
            inFlight.dataPoint(GaugeDataPointSnapshot.builder().labels(test).value(snapshot.inFlight()).build());
            Long delayedRequests = snapshot.summary().delayed();
            if (delayedRequests != null) {
                delayed.dataPoint(CounterDataPointSnapshot.builder().labels(test).value(delayedRequests).build());
                connectDelayed.dataPoint(CounterDataPointSnapshot.builder().labels(test)
                        .value(snapshot.summary().connectDelayed()).build());
                dropped.dataPoint(CounterDataPointSnapshot.builder().labels(test).value(snapshot.summary().dropped()).build());
                double lagSeconds = run.state().status().isFinal() ? 0 : lastLagSeconds(snapshot); // an ended run lags no more
                lag.dataPoint(GaugeDataPointSnapshot.builder().labels(test).value(lagSeconds).build());
            }
        }
        return new MetricSnapshots(requests.build(), latency.build(), inFlight.build(), delayed.build(),
                connectDelayed.build(), dropped.build(), lag.build(), info.build(), checks.build(), nodes.build(), skew.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(REQUESTS, LATENCY, IN_FLIGHT, DELAYED, CONNECT_DELAYED, DROPPED, SCHEDULER_LAG, RUN_INFO, CHECKS,
                RUN_NODES, START_SKEW);
    }

    /**
     * Requests, latency and checks per step: a single-request test's one step is {@code request}. A run
     * that has not started yet (or was stored before steps were recorded) has its totals under that name.
     */
    private static void perStep(Labels test, RunSnapshot snapshot, CounterSnapshot.Builder requests,
                                HistogramSnapshot.Builder latency, CounterSnapshot.Builder checks) {
        Map<String, GroupSummary> steps = snapshot.summary().steps();
        Map<String, StepBuckets> buckets = snapshot.stepLatency();
        if (steps == null || steps.isEmpty() || buckets == null || buckets.isEmpty()) {
            requests.dataPoint(counter(test, "request", "success", snapshot.summary().successes()));
            requests.dataPoint(counter(test, "request", "error", snapshot.summary().failures()));
            latency.dataPoint(histogram(test, "request", "success", snapshot.successLatency()));
            latency.dataPoint(histogram(test, "request", "error", snapshot.errorLatency()));
            return;
        }
        steps.forEach((step, figures) -> {
            requests.dataPoint(counter(test, step, "success", figures.successes()));
            requests.dataPoint(counter(test, step, "error", figures.failures()));
            CheckCounts counts = figures.checks();
            if (counts != null && counts.passed() + counts.failed() > 0) {
                checks.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(test.merge(Labels.of("result", "passed", "step", step))).value(counts.passed()).build());
                checks.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(test.merge(Labels.of("result", "failed", "step", step))).value(counts.failed()).build());
            }
        });
        buckets.forEach((step, byOutcome) -> {
            latency.dataPoint(histogram(test, step, "success", byOutcome.success()));
            latency.dataPoint(histogram(test, step, "error", byOutcome.error()));
        });
    }

    private static double lastLagSeconds(RunSnapshot snapshot) {
        List<TimelinePoint> timeline = snapshot.timeline();
        if (timeline.isEmpty() || timeline.getLast().schedulerLagMs() == null) {
            return 0;
        }
        return timeline.getLast().schedulerLagMs() / 1000.0;
    }

    private static CounterDataPointSnapshot counter(Labels test, String step, String status, long value) {
        return CounterDataPointSnapshot.builder().labels(test.merge(Labels.of("status", status, "step", step))).value(value).build();
    }

    private static HistogramDataPointSnapshot histogram(Labels test, String step, String status, LatencyBuckets buckets) {
        return HistogramDataPointSnapshot.builder()
                .labels(test.merge(Labels.of("status", status, "step", step)))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(buckets.upperBoundsSeconds(), buckets.counts()))
                .sum(buckets.sumSeconds())
                .build();
    }
}
