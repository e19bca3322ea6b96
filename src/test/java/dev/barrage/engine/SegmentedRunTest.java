package dev.barrage.engine;

import static dev.barrage.engine.EngineRuns.awaitUntil;
import static dev.barrage.engine.EngineRuns.summaryOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.ScriptedTargetTransport.Response;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Three generators, each running its execution segment of one plan on its own (fake) clock and
 * target: together they send exactly what one generator sends alone, each iteration once, with the
 * scenario, iteration number and user number the whole plan gives it.
 */
class SegmentedRunTest {

    private static final long S = 1_000_000_000L;
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("test-vu-", 0).factory();
    private static final int GENERATORS = 3;

    @Test
    void threeOpenModelSegmentsSendEachIterationOfThePlanOnceWithItsOwnScenario() throws Exception {
        List<Long> iterations = new ArrayList<>();
        long browse = 0;
        long buy = 0;
        for (int k = 1; k <= GENERATORS; k++) {
            ExecutionSegment segment = ExecutionSegment.of(k, GENERATORS);
            FakeClock clock = FakeClock.manual();
            ScenarioPlanBuilder builder = new ScenarioPlanBuilder();
            ScenarioPlan plan = shop(builder);
            RunRecorder recorder = builder.recorder();
            ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> Response.status(200));
            OpenWorkload workload = new OpenWorkload(new ConstantRate(900, S), 4);

            LoadRun run = new LoadEngine(clock).start(workload, segment, plan, new Transport[] {target}, recorder, VIRTUAL);
            clock.advance(Duration.ofMillis(999)); // every hit falls due before the end
            awaitUntil(() -> target.received.size() == 300);
            clock.advance(Duration.ofMillis(1));
            Summary summary = summaryOf(run, recorder, plan, workload);

            assertThat(summary.requests()).as("generator %d", k).isEqualTo(300).isEqualTo(target.received.size());
            assertThat(summary.dropped()).isZero();
            List<Long> mine = target.received.stream().map(r -> Long.parseLong(r.query("i"))).toList();
            assertThat(mine).as("generator %d takes its segment's iterations", k).allMatch(segment::owns);
            iterations.addAll(mine);
            browse += target.receivedOn("/browse").size();
            buy += target.receivedOn("/buy").size();
        }
        assertThat(new TreeSet<>(iterations)).containsExactlyElementsOf(LongStream.range(0, 900).boxed().toList());
        assertThat(iterations).hasSize(900);
        assertThat(browse).isEqualTo(720); // weights 8 and 2 over the whole plan, as one generator runs them
        assertThat(buy).isEqualTo(180);
    }

    @Test
    void openModelSegmentsCountOnlyTheirOwnHitsAsDroppedWhenTheRunCannotKeepUp() throws Exception {
        long dropped = 0;
        long sent = 0;
        for (int k = 1; k <= GENERATORS; k++) {
            FakeClock clock = FakeClock.manual();
            ScenarioPlanBuilder builder = new ScenarioPlanBuilder();
            ScenarioPlan plan = shop(builder);
            RunRecorder recorder = builder.recorder();
            ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> Response.status(200));
            OpenWorkload workload = new OpenWorkload(new ConstantRate(900, S), 4);

            LoadRun run = new LoadEngine(clock).start(workload, ExecutionSegment.of(k, GENERATORS), plan,
                    new Transport[] {target}, recorder, VIRTUAL);
            clock.advance(Duration.ofMillis(500));
            awaitUntil(() -> target.received.size() >= 150); // the hits due in the first half second
            clock.advance(Duration.ofMillis(500)); // the duration ends with the rest still waiting to be handed out
            Summary summary = summaryOf(run, recorder, plan, workload);

            assertThat(summary.requests() + summary.dropped()).as("generator %d", k).isEqualTo(300);
            dropped += summary.dropped();
            sent += summary.requests();
        }
        assertThat(sent + dropped).isEqualTo(900);
    }

    @Test
    void threeClosedModelSegmentsRunTheirShareOfTheUsersNumberedAsInTheWholePlan() throws Exception {
        Set<Long> users = new TreeSet<>();
        for (int k = 1; k <= GENERATORS; k++) {
            ExecutionSegment segment = ExecutionSegment.of(k, GENERATORS);
            FakeClock clock = FakeClock.manual();
            ScenarioPlanBuilder builder = new ScenarioPlanBuilder();
            ScenarioPlan plan = shop(builder);
            RunRecorder recorder = builder.recorder();
            Set<String> arrived = ConcurrentHashMap.newKeySet();
            CountDownLatch everyUserSent = new CountDownLatch((int) segment.scale(10));
            ScriptedTargetTransport target = new ScriptedTargetTransport(clock, request -> {
                if (arrived.add(request.query("vu"))) {
                    everyUserSent.countDown();
                }
                // time stands still until every user of the segment has sent, so none can miss the run;
                // parked, not spinning, so the users still to come get the carriers
                if (!everyUserSent.await(10, TimeUnit.SECONDS)) {
                    releaseAll(everyUserSent); // the assertions below say who is missing; the run still ends
                }
                clock.advance(Duration.ofMillis(1));
                return Response.status(200);
            });

            LoadRun run = new LoadEngine(clock).start(ClosedWorkload.constant(10, Duration.ofMillis(300)), segment, plan,
                    new Transport[] {target}, recorder, VIRTUAL);
            Summary summary = summaryOf(run, recorder, plan, null);

            Set<Long> mine = new TreeSet<>();
            target.received.forEach(request -> mine.add(Long.parseLong(request.query("vu"))));
            assertThat(mine).as("generator %d's users", k).hasSize((int) segment.scale(10))
                    .allMatch(vu -> segment.owns(vu - 1));
            users.addAll(mine);
            List<Long> numbers = target.received.stream().map(r -> Long.parseLong(r.query("i"))).sorted().toList();
            assertThat(numbers).as("generator %d's iteration numbers: its segment's first ones, each once", k)
                    .containsExactlyElementsOf(LongStream.range(0, numbers.size()).map(segment::nthOwned).boxed().toList());
            assertThat(summary.requests()).isEqualTo(target.received.size());
        }
        assertThat(users).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    private static void releaseAll(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            latch.countDown();
        }
    }

    private static ScenarioPlan shop(ScenarioPlanBuilder builder) {
        Step browse = builder.request("browse", builder.template("GET", "/browse?i={{$iteration}}&vu={{$vu}}", null));
        Step buy = builder.request("buy", builder.template("GET", "/buy?i={{$iteration}}&vu={{$vu}}", null));
        return builder.build(List.of(new Scenario("browse", List.of(browse)), new Scenario("buy", List.of(buy))), 8, 2);
    }
}
