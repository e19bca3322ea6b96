package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.IntervalShipment;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How every node merges a distributed run: a second is closed only when every generator still
 * expected has reported it, a message comes once, a generator that ships nothing is noticed, and the
 * end says who was lost and how much of the plan was applied. No cluster: shipments are made by real
 * recorders and samplers, time is given.
 */
class DistributedViewTest {

    private static final long SECOND = 1_000_000_000L;
    private static final PreparedLoad SHAPE = new PreparedLoad(ScenarioPlan.single(), List.of(), StepLayout.SINGLE,
            List.of(new StatusRange(200, 399)), List.of());
    private static final List<String> MEMBERS = List.of("10.0.0.1:5701", "10.0.0.2:5701");

    /** One generator's share: a recorder whose sampler ships its closed intervals, numbered as messages. */
    private static final class Generator {
        final int number;
        final RunRecorder recorder = new RunRecorder(new StatusRange(200, 399));
        final RunSampler sampler = new RunSampler(recorder);
        long messages;

        Generator(int number) {
            this.number = number;
            sampler.shipIntervals();
        }

        /** {@code requests} requests of 5 ms each, then the interval closes at {@code second}. */
        NodeShipment second(int second, int requests, RunEnd.Outcome endsWith) {
            return second(second, requests, endsWith, null);
        }

        /** As above, a last message saying how much CPU its machine lost to steal. */
        NodeShipment second(int second, int requests, RunEnd.Outcome endsWith, Double stealShare) {
            for (int i = 0; i < requests; i++) {
                recorder.requestStarted();
                recorder.requestEnded(Exchange.response(200, 100, 200), 5_000_000L);
            }
            sampler.sample(second * SECOND, true);
            IntervalShipment interval = sampler.drainShipments().getFirst();
            return new NodeShipment(number, ++messages, interval, 0.5, endsWith != null, endsWith, null, stealShare);
        }
    }

    private static Run run(String onNodeLoss) {
        TestDefinition definition = new TestDefinition("split", null, null,
                new RequestDefinition("GET", "http://127.0.0.1:9/", null, null, null, null, null),
                null, new WorkloadDefinition(WorkloadModel.CLOSED, 2, null, java.time.Duration.ofSeconds(3), null, null, null),
                null, null, null, Generators.of(2), OnNodeLoss.valueOf(onNodeLoss));
        return TestRuns.queued("abcdefabcdef", definition);
    }

    @Test
    void aSecondIsMergedOnlyOnceEveryGeneratorHasReportedIt() {
        Run run = run("ABORT");
        DistributedView view = new DistributedView(run, SHAPE, MEMBERS);
        Generator first = new Generator(1);
        Generator second = new Generator(2);

        view.offer(first.second(1, 30, null), 0);
        view.advance("10.0.0.1:5701");
        assertThat(run.state().snapshot().timeline()).isEmpty();

        view.offer(second.second(1, 12, null), 0);
        view.advance("10.0.0.1:5701");
        List<TimelinePoint> timeline = run.state().snapshot().timeline();
        assertThat(timeline).hasSize(1);
        assertThat(timeline.getFirst().requests()).isEqualTo(42);
        assertThat(run.state().snapshot().summary().requests()).isEqualTo(42);
        assertThat(run.state().distribution().lastCompleteSecond()).isEqualTo(1);
        assertThat(run.state().distribution().nodes()).extracting(Distribution.NodeStatus::requests).containsExactly(30L, 12L);
    }

    @Test
    void aMessageTakenOnceIsNotTakenAgainNorOutOfTurn() {
        DistributedView view = new DistributedView(run("ABORT"), SHAPE, MEMBERS);
        Generator first = new Generator(1);
        NodeShipment one = first.second(1, 5, null);
        NodeShipment two = first.second(2, 5, null);

        assertThat(view.offer(two, 0)).as("out of turn").isFalse();
        assertThat(view.offer(one, 0)).isTrue();
        assertThat(view.offer(one, 0)).as("again").isFalse();
        assertThat(view.nextMessage(1)).isEqualTo(2);
    }

    @Test
    void aGeneratorThatShipsNothingForTheLimitIsSilent() {
        DistributedView view = new DistributedView(run("ABORT"), SHAPE, MEMBERS);
        Generator first = new Generator(1);
        long start = 1_000 * SECOND;

        view.offer(first.second(1, 5, null), start + SECOND);

        assertThat(view.silent(start + 9 * SECOND, start, 10 * SECOND)).isEmpty();
        assertThat(view.silent(start + 11 * SECOND, start, 10 * SECOND)).as("the second never reported").containsExactly(2);
        assertThat(view.silent(start + 12 * SECOND, start, 10 * SECOND)).containsExactly(1, 2);
        view.lose(2);
        assertThat(view.silent(start + 12 * SECOND, start, 10 * SECOND)).containsExactly(1);
    }

    @Test
    void aGeneratorLostUnderAbortFailsTheRunNamingIt() {
        Run run = run("ABORT");
        DistributedView view = new DistributedView(run, SHAPE, MEMBERS);
        Generator first = new Generator(1);
        Generator second = new Generator(2);
        view.offer(first.second(1, 10, null), 0);
        view.offer(second.second(1, 10, null), 0);
        view.offer(first.second(2, 10, RunEnd.Outcome.CANCELLED), 0); // stopped by the coordinator
        view.lose(2);
        view.advance("10.0.0.1:5701");

        assertThat(view.complete()).isTrue();
        DistributedView.Ending ending = view.ending("10.0.0.1:5701", false, Set.of(2));

        assertThat(ending.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ending.reason()).contains("Generator 2 of 2 (10.0.0.2:5701, segment 1/2:1) left the cluster after 1.000 s")
                .contains("abort");
        assertThat(ending.last().summary().requests()).isEqualTo(30);
        assertThat(ending.distribution().nodes().get(1).status()).isEqualTo("lost");
        assertThat(ending.distribution().nodes().get(0).status()).isEqualTo("cancelled");
    }

    @Test
    void aGeneratorLostUnderContinueLeavesACompletedRunWithTheShareThatWasApplied() {
        Run run = run("CONTINUE");
        DistributedView view = new DistributedView(run, SHAPE, MEMBERS);
        Generator first = new Generator(1);
        Generator second = new Generator(2);
        view.offer(first.second(1, 10, null), 0);
        view.offer(second.second(1, 10, null), 0);
        view.lose(2);
        view.offer(first.second(2, 10, null), 0);
        view.offer(first.second(3, 10, RunEnd.Outcome.COMPLETED), 0);
        view.advance("10.0.0.1:5701");

        DistributedView.Ending ending = view.ending("10.0.0.1:5701", false, Set.of(2));

        assertThat(ending.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(ending.reason()).isNull();
        // half the plan all the way, the other half for one second of three
        assertThat(ending.distribution().effectiveLoadFraction()).isEqualTo(0.6667);
        assertThat(ending.warnings()).anyMatch(warning -> warning.contains("onNodeLoss is continue"));
        assertThat(run.state().snapshot().timeline()).extracting(TimelinePoint::requests).containsExactly(20L, 10L, 10L);
    }

    @Test
    void aCancelledRunEndsCancelledWithEveryGeneratorsShare() {
        DistributedView view = new DistributedView(run("ABORT"), SHAPE, MEMBERS);
        Generator first = new Generator(1);
        Generator second = new Generator(2);
        view.offer(first.second(1, 4, RunEnd.Outcome.CANCELLED), 0);
        view.offer(second.second(1, 6, RunEnd.Outcome.CANCELLED), 0);
        view.advance("10.0.0.2:5701");

        DistributedView.Ending ending = view.ending("10.0.0.2:5701", true, Set.of());

        assertThat(ending.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ending.last().summary().requests()).isEqualTo(10);
        assertThat(ending.distribution().coordinator()).isEqualTo("10.0.0.2:5701");
        assertThat(new ArrayList<>(ending.distribution().nodes())).allMatch(node -> node.status().equals("cancelled"));
    }

    @Test
    void aGeneratorWhoseMachineLostCpuToStealIsNamedInAWarningOfItsOwn() {
        Run run = run("ABORT");
        DistributedView view = new DistributedView(run, SHAPE, MEMBERS);
        Generator first = new Generator(1);
        Generator second = new Generator(2);
        view.offer(first.second(1, 10, RunEnd.Outcome.COMPLETED, 0.01), 0);
        view.offer(second.second(1, 10, RunEnd.Outcome.COMPLETED, 0.125), 0);
        view.advance("10.0.0.1:5701");

        List<String> warnings = view.ending("10.0.0.1:5701", false, Set.of()).warnings();

        assertThat(warnings).filteredOn(warning -> warning.contains("hypervisor")).containsExactly(
                "Generator 2 of 2 (10.0.0.2:5701, segment 1/2:1): during its share the hypervisor gave 12.5% of its"
                        + " machine's CPU time to other machines (steal time, /proc/stat): the generator could not run"
                        + " whenever it needed to, so its timing (latency measured from when requests were due,"
                        + " schedulerLagMs) can include waits that were not the target's. Use a machine without CPU steal"
                        + " (a dedicated host or instance type) when the figures must be the target's alone.");
    }
}
