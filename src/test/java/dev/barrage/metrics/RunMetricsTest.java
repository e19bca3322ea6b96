package dev.barrage.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.TargetPolicy;
import dev.barrage.engine.transport.TransportSession;
import dev.barrage.runs.RequestDefinition;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunLimits;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunStatus;
import dev.barrage.runs.TestDefinition;
import dev.barrage.runs.TestRuns;
import dev.barrage.runs.WorkloadDefinition;
import dev.barrage.runs.WorkloadModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-run series come from the runs in memory and leave with them; outcomes are counted once. */
class RunMetricsTest {

    private final AggregationLane lane = new AggregationLane(1);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RunOutcomeMetrics outcomes = new RunOutcomeMetrics(meters);
    private final RunService runs = new RunService(new LoadEngine(NanoClock.SYSTEM), spec -> strayBytes -> new TransportSession() {
        @Override
        public Exchange execute() {
            LockSupport.parkNanos(2_000_000); // a 2 ms target
            return Exchange.response(200, 10, 20);
        }

        @Override
        public void close() {
        }
    }, TargetPolicy.ANY, lane, List.of(outcomes), new RunLimits(10_000, 100_000, Duration.ofHours(1), 3, 20, 2), Clock.systemUTC());
    private final RunMetricsCollector collector = new RunMetricsCollector(runs);

    @AfterEach
    void stopLane() {
        lane.close();
    }

    @Test
    void seriesFollowTheRetainedRunsAndOutcomesAreCounted() throws Exception {
        Run first = runs.submit(oneSecond());
        Run second = runs.submit(oneSecond());
        Run third = runs.submit(oneSecond());
        awaitFinished(first, second, third);

        MetricSnapshots scrape = collector.collect();

        List<String> tests = testsIn(scrape, "load_tester_requests");
        assertThat(tests).doesNotContain(first.id()).contains(second.id(), third.id());
        assertThat(runs.all()).extracting(Run::id).containsExactly(second.id(), third.id());
        CounterSnapshot requests = (CounterSnapshot) find(scrape, "load_tester_requests");
        double successes = requests.getDataPoints().stream()
                .filter(point -> point.getLabels().get("test").equals(third.id()) && point.getLabels().get("status").equals("success"))
                .findFirst().orElseThrow().getValue();
        assertThat((long) successes).isEqualTo(third.state().snapshot().summary().successes()).isPositive();
        HistogramSnapshot latency = (HistogramSnapshot) find(scrape, "load_tester_request_latency_seconds");
        assertThat(latency.getDataPoints()).hasSize(4);
        assertThat(meters.get("load_tester_runs").tag("outcome", "completed").counter().count()).isEqualTo(3.0);
        assertThat(meters.get("load_tester_runs_active").gauge().value()).isZero();
        assertThat(testsIn(scrape, "load_tester_delayed_requests")).as("closed runs have no delayed series").isEmpty();
    }

    @Test
    void theSchedulerLagGaugeShowsTheLastSecondOfARunningRunAndZeroOnceItEnded() {
        RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
        recorder.requestStarted();
        recorder.requestEnded(Exchange.response(200, 1, 1), 30_000_000, 5_000_000, 25_000_000); // sent 25 ms late
        RunSnapshot lagging = new RunSampler(recorder, new OpenPlan(elapsed -> elapsed / 1e9, 60_000_000_000L))
                .sample(1_000_000_000, true);
        TestDefinition open = new TestDefinition(null, new RequestDefinition(null, "http://127.0.0.1:9/", null, null, null, null, null),
                new WorkloadDefinition(WorkloadModel.OPEN, null, 1.0, Duration.ofMinutes(1), null, null, null), null, null, null);
        RunService both = org.mockito.Mockito.mock(RunService.class);
        org.mockito.Mockito.when(both.all()).thenReturn(List.of(
                TestRuns.running("aaaaaaaaaaa1", open, lagging),
                TestRuns.finished("aaaaaaaaaaa2", open, RunStatus.COMPLETED, lagging)));

        GaugeSnapshot lag = (GaugeSnapshot) find(new RunMetricsCollector(both).collect(), "load_tester_scheduler_lag_seconds");

        assertThat(lag.getDataPoints()).hasSize(2).allSatisfy(point -> assertThat(point.getValue())
                .isEqualTo(point.getLabels().get("test").equals("aaaaaaaaaaa1") ? 0.025 : 0.0,
                        org.assertj.core.data.Offset.offset(0.0001)));
    }

    private static TestDefinition oneSecond() {
        return new TestDefinition(null,
                new RequestDefinition(null, "http://127.0.0.1:9/", null, null, null, null, null),
                new WorkloadDefinition(WorkloadModel.CLOSED, 1, null, Duration.ofSeconds(1), null, null, null),
                null, null, null);
    }

    private static void awaitFinished(Run... runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (Run run : runs) {
            while (!run.state().status().isFinal() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run.state().status().isFinal()).as("run %s finished", run.id()).isTrue();
        }
    }

    private static MetricSnapshot find(MetricSnapshots scrape, String name) {
        return scrape.stream().filter(metric -> metric.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> testsIn(MetricSnapshots scrape, String name) {
        return find(scrape, name).getDataPoints().stream().map(point -> point.getLabels().get("test")).distinct().toList();
    }
}
