package dev.barrage.engine.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSamplerTest {

    private static final long MS = 1_000_000;

    private final RunRecorder recorder = new RunRecorder(new StatusRange(200, 299));
    private final RunSampler sampler = new RunSampler(recorder);

    @Test
    void percentilesOfKnownLatenciesAreExactToTheMicrosecondBelowTwoMilliseconds() {
        for (int i = 1; i <= 1000; i++) {
            end(Exchange.response(200, 1, 1), i * 1000L); // 1 µs .. 1000 µs
        }

        LatencySummary latency = sampler.sample(1_000 * MS, true).summary().latencyMs();

        assertThat(latency.min()).isEqualTo(0.001);
        assertThat(latency.p50()).isEqualTo(0.5);
        assertThat(latency.p90()).isEqualTo(0.9);
        assertThat(latency.p99()).isEqualTo(0.99);
        assertThat(latency.max()).isEqualTo(1.0);
        assertThat(latency.mean()).isEqualTo(0.501);
    }

    @Test
    void theFirstSampleMakesNoHistogramTheRecordersSecondOnesAreMadeWithTheSampler() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RunSampler fresh = new RunSampler(new RunRecorder(new StatusRange(200, 299)));
        long histogramBytes = LatencyScale.newHistogram().getEstimatedFootprintInBytes();

        long before = threads.getCurrentThreadAllocatedBytes();
        fresh.sample(1_000 * MS, true);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // made at the first sample, during the run, four of them were young at its first collection, which copied them
        assertThat(allocated).as("bytes the first sample allocated").isLessThan(histogramBytes);
    }

    @Test
    void whatWasRecordedBeforeTheSamplerWasMadeIsInItsFirstSampleNotLost() {
        RunRecorder earlier = new RunRecorder(new StatusRange(200, 299));
        earlier.requestEnded(0, Exchange.response(200, 1, 1), 3 * MS, 2 * MS, 0);
        earlier.requestEnded(0, Exchange.failure(ErrorKind.CONNECTION_RESET, 1, 0), 5 * MS, 4 * MS, 0);

        RunSnapshot first = new RunSampler(earlier).sample(1_000 * MS, true); // it takes the recorders' intervals when made

        assertThat(first.summary().requests()).isEqualTo(2);
        assertThat(first.summary().latencyMs().max()).isEqualTo(5.003);
        assertThat(first.summary().latencyMs().min()).isEqualTo(3.0);
        assertThat(first.timeline().getFirst().p99()).isEqualTo(5.003);
    }

    @Test
    void successIsDecidedByTheExpectedStatusRange() {
        end(Exchange.response(200, 10, 20), MS);
        end(Exchange.response(302, 10, 20), MS);
        end(Exchange.response(500, 10, 20), MS);
        end(Exchange.failure(ErrorKind.CONNECTION_RESET, 10, 5), MS);

        Summary summary = sampler.sample(2_000 * MS, true).summary();

        assertThat(summary.requests()).isEqualTo(4);
        assertThat(summary.successes()).isEqualTo(1);
        assertThat(summary.failures()).isEqualTo(3);
        assertThat(summary.statusCodes()).isEqualTo(Map.of("200", 1L, "302", 1L, "500", 1L));
        assertThat(summary.errors()).isEqualTo(Map.of("CONNECTION_RESET", 1L));
        assertThat(summary.throughput()).isEqualTo(2.0);
        assertThat(summary.elapsedSeconds()).isEqualTo(2.0);
        assertThat(summary.bytesSent()).isEqualTo(40);
        assertThat(summary.bytesReceived()).isEqualTo(65);
    }

    @Test
    void latenciesBeyondAnHourAreClampedNotLost() {
        end(Exchange.response(200, 1, 1), 5L * 3600 * 1000 * MS);

        Summary summary = sampler.sample(MS, true).summary();

        assertThat(summary.requests()).isEqualTo(1);
        assertThat(summary.latencyMs().max()).isGreaterThanOrEqualTo(3_600_000.0);
    }

    @Test
    void eachTickAddsOneTimelinePointWithTheIntervalsOwnFigures() {
        for (int i = 0; i < 100; i++) {
            end(Exchange.response(200, 1, 1), 2 * MS);
        }
        RunSnapshot first = sampler.sample(1_000 * MS, true);
        for (int i = 0; i < 50; i++) {
            end(Exchange.response(500, 1, 1), 40 * MS);
        }
        RunSnapshot second = sampler.sample(2_000 * MS, true);
        RunSnapshot onDemand = sampler.sample(2_500 * MS, false);

        assertThat(first.timeline()).containsExactly(new TimelinePoint(1, 100, 0, 100.0, 2.0, 2.0, 2.0, 0, null, null, null, null, null, null));
        assertThat(second.timeline()).hasSize(2);
        TimelinePoint point = second.timeline().get(1);
        assertThat(point.t()).isEqualTo(2);
        assertThat(point.requests()).isEqualTo(50);
        assertThat(point.failures()).isEqualTo(50);
        assertThat(point.throughput()).isEqualTo(50.0);
        // 3 significant digits: a value is reported as the top of its 0.1%-wide bucket
        assertThat(point.p50()).isBetween(40.0, 40.04);
        assertThat(point.p99()).isBetween(40.0, 40.04);
        assertThat(onDemand.timeline()).hasSize(2);
        assertThat(second.summary().requests()).isEqualTo(150);
    }

    @Test
    void prometheusBucketsSplitLatenciesByOutcomeAndSumToTheCount() {
        end(Exchange.response(200, 1, 1), 300_000);       // 0.3 ms -> le 0.0005
        end(Exchange.response(200, 1, 1), 7 * MS);        // -> le 0.01
        end(Exchange.response(200, 1, 1), 90_000 * MS);   // 90 s -> +Inf
        end(Exchange.response(503, 1, 1), 20 * MS);       // error -> le 0.025

        RunSnapshot snapshot = sampler.sample(MS, true);

        LatencyBuckets success = snapshot.successLatency();
        assertThat(success.count()).isEqualTo(3);
        assertThat(success.counts()[0]).isEqualTo(1);
        assertThat(success.counts()[4]).isEqualTo(1);
        assertThat(success.counts()[success.counts().length - 1]).isEqualTo(1);
        assertThat(success.sumSeconds()).isEqualTo(90.0073, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(snapshot.errorLatency().count()).isEqualTo(1);
        assertThat(snapshot.errorLatency().counts()[5]).isEqualTo(1);
    }

    @Test
    void aRetractedSuccessMovesFromItsStatusToProtocolAndItsLatencyToTheFailureHistogramInLaterSamples() {
        Exchange ok = Exchange.response(200, 1, 1);
        end(ok, 7 * MS);
        end(ok, 300_000);
        RunSnapshot before = sampler.sample(MS, true);
        assertThat(before.successLatency().count()).isEqualTo(2);

        recorder.responseRetracted(ok, 7 * MS); // bytes nobody asked for followed that response
        RunSnapshot after = sampler.sample(2 * MS, true);

        assertThat(after.summary().requests()).isEqualTo(2);
        assertThat(after.summary().successes()).isEqualTo(1);
        assertThat(after.summary().statusCodes()).isEqualTo(java.util.Map.of("200", 1L));
        assertThat(after.summary().errors()).isEqualTo(java.util.Map.of("PROTOCOL", 1L));
        assertThat(after.successLatency().count()).isEqualTo(1);
        assertThat(after.successLatency().counts()[0]).isEqualTo(1); // the 0.3 ms success stays
        assertThat(after.errorLatency().count()).isEqualTo(1);
        assertThat(after.errorLatency().counts()[4]).isEqualTo(1);  // the 7 ms one moved
        assertThat(after.successLatency().sumSeconds() + after.errorLatency().sumSeconds())
                .isEqualTo(0.0073, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(after.summary().latencyMs().max()).isEqualTo(7.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aRetractionOfAFailureWithoutAStatusChangesNothing() {
        Exchange reset = Exchange.failure(dev.barrage.engine.transport.ErrorKind.CONNECTION_RESET, 1, 0);
        end(reset, MS);

        recorder.responseRetracted(reset, MS);

        assertThat(sampler.sample(MS, true).summary().errors()).isEqualTo(java.util.Map.of("CONNECTION_RESET", 1L));
    }

    @Test
    void anEmptyRunHasZerosEverywhere() {
        RunSnapshot empty = RunSnapshot.empty();

        assertThat(empty.summary().requests()).isZero();
        assertThat(empty.summary().latencyMs()).isEqualTo(LatencySummary.EMPTY);
        assertThat(empty.timeline()).isEmpty();
        assertThat(empty.successLatency().count()).isZero();
    }

    private void end(Exchange exchange, long latencyNanos) {
        recorder.requestStarted();
        recorder.requestEnded(exchange, latencyNanos);
    }
}
