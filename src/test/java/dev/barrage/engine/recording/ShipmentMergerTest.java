package dev.barrage.engine.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Three generators' interval shipments merged into one recorder give exactly the figures of one
 * recorder fed every request: counts, status codes, error kinds, bytes, checks, iterations, every
 * percentile of the run and of each step, and each second of the timeline.
 */
class ShipmentMergerTest {

    private static final int GENERATORS = 3;
    private static final int INTERVALS = 4;
    private static final long SECOND = 1_000_000_000L;

    /** A plan of two request steps with one check each, in one scenario. */
    private static final StepLayout TWO_STEPS = new StepLayout(List.of("login", "order"), List.of("buy"),
            List.of(new int[] {0, 1}), List.of("status 200-200", "status 201-201"), new int[] {0, 1});

    @Test
    void mergedShipmentsOfThreeGeneratorsEqualOneRecorderOfEveryRequest() {
        Fixture fixture = new Fixture(() -> new RunRecorder(new StatusRange(200, 399)), StepLayout.SINGLE);
        SplittableRandom random = new SplittableRandom(7);
        for (int interval = 1; interval <= INTERVALS; interval++) {
            for (int i = 0; i < 20_000; i++) {
                int generator = random.nextInt(GENERATORS);
                long latencyNanos = heavyTailed(random);
                Exchange exchange = random.nextInt(100) < 3 ? Exchange.failure(ErrorKind.TIMEOUT, 120, 0)
                        : Exchange.response(random.nextInt(100) < 5 ? 503 : 200, 120, 300 + random.nextInt(500));
                fixture.record(generator, recorder -> {
                    recorder.requestStarted();
                    recorder.requestEnded(exchange, latencyNanos, latencyNanos / 2, random.nextInt(1000));
                });
            }
            fixture.closeInterval(interval * SECOND);
        }

        fixture.assertMergedEqualsSingle();
        Summary merged = fixture.mergedSummary();
        assertThat(merged.requests()).isEqualTo(INTERVALS * 20_000L);
        assertThat(merged.latencyMs().p99()).isEqualTo(fixture.singleSummary().latencyMs().p99());
        assertThat(merged.serviceTimeMs()).isEqualTo(fixture.singleSummary().serviceTimeMs());
    }

    @Test
    void stepsChecksAndIterationsMergeExactlyToo() {
        Fixture fixture = new Fixture(() -> new RunRecorder(List.of(new StatusRange(200, 200), new StatusRange(201, 201)), 2),
                TWO_STEPS);
        SplittableRandom random = new SplittableRandom(11);
        for (int interval = 1; interval <= INTERVALS; interval++) {
            for (int i = 0; i < 5_000; i++) {
                int generator = random.nextInt(GENERATORS);
                long loginNanos = heavyTailed(random);
                long orderNanos = heavyTailed(random);
                boolean orderFails = random.nextInt(50) == 0;
                fixture.record(generator, recorder -> {
                    recorder.iterationStarted();
                    recorder.requestStarted();
                    recorder.requestEnded(0, Exchange.response(200, 100, 200), loginNanos);
                    recorder.checkEvaluated(0, true);
                    recorder.requestStarted();
                    recorder.requestEnded(1, Exchange.response(orderFails ? 409 : 201, 150, 90), orderNanos);
                    recorder.checkEvaluated(1, !orderFails);
                    recorder.iterationCompleted();
                });
            }
            fixture.closeInterval(interval * SECOND);
        }

        fixture.assertMergedEqualsSingle();
        Summary merged = fixture.mergedSummary();
        assertThat(merged.steps().get("order").latencyMs()).isEqualTo(fixture.singleSummary().steps().get("order").latencyMs());
        assertThat(merged.checks()).isEqualTo(fixture.singleSummary().checks());
        assertThat(merged.iterations().started()).isEqualTo(INTERVALS * 5_000L);
    }

    @Test
    void aShipmentThatArrivesTwiceIsAddedOnce() {
        IntervalShipment shipment = oneRequestPerInterval(1).getFirst();
        ShipmentMerger merger = new ShipmentMerger(new RunRecorder(new StatusRange(200, 399)));

        assertThat(merger.add("node-1", shipment)).isTrue();
        assertThat(merger.add("node-1", shipment)).isFalse();

        assertThat(summaryOf(merger.recorder(), SECOND)).isEqualTo(summaryOf(oneRequestPerIntervalAlone(1), SECOND));
    }

    @Test
    void aFinalSampleNoLaterThanTheLastTickStillShipsWhatWasCountedSince() {
        RunRecorder generator = new RunRecorder(new StatusRange(200, 399));
        RunSampler sampler = new RunSampler(generator, null, StepLayout.SINGLE);
        sampler.shipIntervals();
        record(generator, 1);
        sampler.sample(2 * SECOND, true); // a tick that read the clock after the run's end time was taken
        generator.requestsDropped(3);
        sampler.sample(2 * SECOND - 1_000, true); // the final sample, at that end time

        ShipmentMerger merger = new ShipmentMerger(new RunRecorder(new StatusRange(200, 399)));
        List<IntervalShipment> shipments = sampler.drainShipments();
        shipments.forEach(shipment -> merger.add("node-1", shipment));

        assertThat(shipments).hasSize(2);
        assertThat(shipments.getLast().elapsedNanos()).isEqualTo(2 * SECOND);
        assertThat(merger.recorder().dropped()).isEqualTo(3);
        assertThat(summaryOf(merger.recorder(), 2 * SECOND).requests()).isEqualTo(1);
        assertThat(merger.missedIntervals()).isZero();
    }

    @Test
    void aMissedShipmentLosesItsLatenciesButNotItsCountsAndIsCounted() {
        List<IntervalShipment> shipments = oneRequestPerInterval(3);
        ShipmentMerger merger = new ShipmentMerger(new RunRecorder(new StatusRange(200, 399)));

        merger.add("node-1", shipments.get(0));
        merger.add("node-1", shipments.get(2)); // the second never came

        Summary merged = summaryOf(merger.recorder(), 3 * SECOND);
        assertThat(merged.requests()).isEqualTo(3);
        assertThat(merged.statusCodes()).containsEntry("200", 3L);
        assertThat(merged.latencyMs().max()).isEqualTo(summaryOf(oneRequestPerIntervalAlone(3), 3 * SECOND).latencyMs().max());
        assertThat(merger.missedIntervals()).isEqualTo(1);
    }

    @Test
    void aShipmentThatDoesNotDecodeChangesNothing() {
        IntervalShipment good = oneRequestPerInterval(1).getFirst();
        IntervalShipment broken = new IntervalShipment(good.sequence(), good.elapsedNanos(), good.success(), new byte[] {1, 2, 3},
                good.service(), good.retracted(), good.stepSuccess(), good.stepFailure(), good.stepRetracted(), good.totals());
        ShipmentMerger merger = new ShipmentMerger(new RunRecorder(new StatusRange(200, 399)));

        assertThatThrownBy(() -> merger.add("node-1", broken)).isInstanceOf(IllegalArgumentException.class);

        assertThat(merger.lastSequence("node-1")).isZero();
        assertThat(merger.add("node-1", good)).isTrue();
        assertThat(summaryOf(merger.recorder(), SECOND).requests()).isEqualTo(1);
    }

    /** A generator's shipments of {@code intervals} seconds, one request a second, i ms long in second i. */
    private static List<IntervalShipment> oneRequestPerInterval(int intervals) {
        RunRecorder generator = new RunRecorder(new StatusRange(200, 399));
        RunSampler sampler = new RunSampler(generator, null, StepLayout.SINGLE);
        sampler.shipIntervals();
        List<IntervalShipment> shipments = new ArrayList<>();
        for (int interval = 1; interval <= intervals; interval++) {
            record(generator, interval);
            sampler.sample(interval * SECOND, true);
            shipments.addAll(sampler.drainShipments());
        }
        return shipments;
    }

    /** The same requests, recorded by one recorder alone. */
    private static RunRecorder oneRequestPerIntervalAlone(int intervals) {
        RunRecorder alone = new RunRecorder(new StatusRange(200, 399));
        for (int interval = 1; interval <= intervals; interval++) {
            record(alone, interval);
        }
        return alone;
    }

    private static void record(RunRecorder recorder, int interval) {
        recorder.requestStarted();
        recorder.requestEnded(Exchange.response(200, 10, 10), interval * 1_000_000L);
    }

    private static Summary summaryOf(RunRecorder recorder, long elapsedNanos) {
        return new RunSampler(recorder, null, StepLayout.SINGLE).sample(elapsedNanos, true).summary();
    }

    /** Latencies from 50 µs to some 10 s, most of them short: every percentile falls in a different bucket. */
    @Test
    void theRequestsInFlightWhenTheDurationEndedAreTheGeneratorsSum() {
        ShipmentMerger merger = new ShipmentMerger(new RunRecorder(StatusRange.DEFAULT));
        for (int g = 0; g < GENERATORS; g++) {
            RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
            RunSampler sampler = new RunSampler(recorder);
            sampler.shipIntervals();
            for (int i = 0; i < g + 2; i++) {
                recorder.requestStarted();
            }
            recorder.durationEnded();
            sampler.sample(SECOND, true);
            sampler.sample(2 * SECOND, true); // a later shipment does not count them again
            for (IntervalShipment shipment : sampler.drainShipments()) {
                merger.add("node-" + g, shipment);
            }
        }

        assertThat(merger.recorder().inFlightAtDurationEnd()).isEqualTo(2 + 3 + 4);
    }

    private static long heavyTailed(SplittableRandom random) {
        double u = random.nextDouble();
        return (long) (50_000 * Math.pow(1 / (1 - u * 0.99999), 1.3));
    }

    /** One recorder fed everything, beside three generators whose shipments are merged. */
    private static final class Fixture {

        private final RunRecorder single;
        private final RunSampler singleSampler;
        private final RunRecorder[] generators = new RunRecorder[GENERATORS];
        private final RunSampler[] generatorSamplers = new RunSampler[GENERATORS];
        private final ShipmentMerger merger;
        private final RunSampler mergedSampler;
        private RunSnapshot singleSnapshot;
        private RunSnapshot mergedSnapshot;

        Fixture(java.util.function.Supplier<RunRecorder> recorders, StepLayout layout) {
            single = recorders.get();
            singleSampler = new RunSampler(single, null, layout);
            for (int g = 0; g < GENERATORS; g++) {
                generators[g] = recorders.get();
                generatorSamplers[g] = new RunSampler(generators[g], null, layout);
                generatorSamplers[g].shipIntervals();
            }
            merger = new ShipmentMerger(recorders.get());
            mergedSampler = new RunSampler(merger.recorder(), null, layout);
        }

        void record(int generator, java.util.function.Consumer<RunRecorder> what) {
            what.accept(single);
            what.accept(generators[generator]);
        }

        void closeInterval(long elapsedNanos) {
            singleSnapshot = singleSampler.sample(elapsedNanos, true);
            for (int g = 0; g < GENERATORS; g++) {
                generatorSamplers[g].sample(elapsedNanos, true);
                for (IntervalShipment shipment : generatorSamplers[g].drainShipments()) {
                    assertThat(merger.add("node-" + g, shipment)).isTrue();
                }
            }
            mergedSnapshot = mergedSampler.sample(elapsedNanos, true);
        }

        Summary singleSummary() {
            return singleSnapshot.summary();
        }

        Summary mergedSummary() {
            return mergedSnapshot.summary();
        }

        void assertMergedEqualsSingle() {
            assertThat(mergedSnapshot.summary()).isEqualTo(singleSnapshot.summary());
            assertThat(mergedSnapshot.timeline()).isEqualTo(singleSnapshot.timeline());
            // the Prometheus histograms too (records holding arrays: compared by content)
            assertThat(mergedSnapshot.successLatency()).usingRecursiveComparison().isEqualTo(singleSnapshot.successLatency());
            assertThat(mergedSnapshot.errorLatency()).usingRecursiveComparison().isEqualTo(singleSnapshot.errorLatency());
            assertThat(mergedSnapshot.stepLatency()).usingRecursiveComparison().isEqualTo(singleSnapshot.stepLatency());
            assertThat(merger.missedIntervals()).isZero();
        }
    }
}
