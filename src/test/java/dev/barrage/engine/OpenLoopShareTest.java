package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.transport.LoopHandle;
import dev.barrage.engine.transport.LoopHost;
import dev.barrage.engine.transport.LoopUser;
import dev.barrage.engine.transport.LoopUser.Next;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One event loop's share of the open model, driven by hand on a manual clock: the test plays the
 * loop (it asks each session for its request, connects it, ends its exchanges) and checks which hit
 * goes where, and how each late one is counted.
 */
class OpenLoopShareTest {

    private static final long MS = 1_000_000L;

    private final FakeClock clock = FakeClock.manual();
    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
    private final Host host = new Host();
    private OpenWorkload workload;

    /** The loop's part: the sessions the share added, and whether it finished the loop. */
    private static final class Host implements LoopHost {
        final List<Session> sessions = new ArrayList<>();
        int connectionsAheadAllowed = Integer.MAX_VALUE;
        boolean finished;

        @Override
        public LoopHandle add(LoopUser user) {
            Session session = new Session(user);
            sessions.add(session);
            return session;
        }

        @Override
        public LoopHandle[] addConnected(LoopUser[] users, long deadlineNanos) {
            LoopHandle[] handles = new LoopHandle[users.length];
            for (int i = 0; i < users.length && connectionsAheadAllowed > 0; i++, connectionsAheadAllowed--) {
                Session session = new Session(users[i]);
                session.connectedAhead = true;
                sessions.add(session);
                handles[i] = session;
            }
            return handles;
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    /** A session as the loop drives it: asked for a request when it joins, when an exchange ends and when resumed. */
    private static final class Session implements LoopHandle {
        final LoopUser user;
        boolean connectedAhead;
        Next state;
        int sent;

        Session(LoopUser user) {
            this.user = user;
        }

        Next ask() {
            state = user.nextRequest();
            if (state == Next.SEND) {
                sent++;
            }
            return state;
        }

        /** Joins the loop: asked for its first request, which connects. */
        void joinAndConnect() {
            assertThat(ask()).isEqualTo(Next.SEND);
            user.connected();
        }

        void respond() {
            user.exchangeEnded(200, null, 1, 1);
            ask();
        }

        @Override
        public void resume() {
            if (state == Next.WAIT) {
                ask();
            }
        }
    }

    private OpenLoopShare share(double rate, Duration duration, int maxConcurrency) {
        return share(rate, duration, maxConcurrency, ExecutionSegment.WHOLE, 0, 1);
    }

    private OpenLoopShare share(double rate, Duration duration, int maxConcurrency, ExecutionSegment segment,
                                int index, int loops) {
        workload = new OpenWorkload(new ConstantRate(rate, duration.toNanos()), maxConcurrency);
        RunLifecycle life = new RunLifecycle(clock, workload.pacer().durationNanos());
        OpenLoopShare share = new OpenLoopShare(index, loops, workload, segment,
                segment.scale(workload.pacer().totalHits()), recorder, clock, life);
        share.runsOn(host);
        return share;
    }

    private final long start = clock.nanoTime(); // the runs' start: the manual clock stands still until a test moves it

    private void at(long millis, OpenLoopShare share) {
        long now = clock.nanoTime() - start;
        clock.advance(Duration.ofNanos(millis * MS - now));
        share.turn();
    }

    /** The recorder sampled now, as the service samples a run (a nanosecond on, so that the sample closes a second). */
    private RunSnapshot sample() {
        return new RunSampler(recorder, new OpenPlan(workload.pacer()::hitsBefore, workload.pacer().durationNanos()))
                .sample(clock.nanoTime() - start + 1, true);
    }

    private double largestLagMs() {
        return sample().timeline().getLast().schedulerLagMs();
    }

    @Test
    void beforeTheClockStartsItOpensAConnectionForEachHitOfTheFirstFiveMillisecondsAtMost64() {
        assertThat(share(100, Duration.ofSeconds(1), 10).preconnections()).as("hit 0 only").isEqualTo(1);
        assertThat(share(4_000, Duration.ofSeconds(1), 100).preconnections()).as("hits 0-19").isEqualTo(20);
        assertThat(share(20_000, Duration.ofSeconds(1), 100).preconnections()).as("100 hits, at most 64").isEqualTo(64);
        assertThat(share(20_000, Duration.ofSeconds(1), 3).preconnections()).as("maxConcurrency 3").isEqualTo(3);
        assertThat(share(20_000, Duration.ofSeconds(1), 100, ExecutionSegment.WHOLE, 1, 2).preconnections())
                .as("one of two loops: half of 64").isEqualTo(32);
        assertThat(share(4_000, Duration.ofSeconds(1), 100, ExecutionSegment.WHOLE, 1, 3).preconnections())
                .as("hits 0-19 over three loops: the second takes hits 1, 4, ..., 19").isEqualTo(7);
        assertThat(share(4_000, Duration.ofSeconds(1), 100, ExecutionSegment.of(2, 2), 0, 1).preconnections())
                .as("the second half of the plan owns 10 of hits 0-19").isEqualTo(10);
    }

    @Test
    void theFirstHitsGoToTheConnectionsOpenedAheadWithoutWaitingForAConnect() {
        OpenLoopShare share = share(4_000, Duration.ofSeconds(1), 4); // a hit every 250 µs, at most 4 in flight
        share.preconnect(Long.MAX_VALUE);
        assertThat(host.sessions).hasSize(4).allMatch(session -> session.connectedAhead);
        host.sessions.forEach(session -> assertThat(session.ask()).as("no hit yet: it waits").isEqualTo(Next.WAIT));

        clock.advance(Duration.ofNanos(750_000));
        share.turn(); // hits 0-3 are due: each goes to a waiting connection

        assertThat(host.sessions).as("no new connection").hasSize(4).allMatch(session -> session.sent == 1);
        assertThat(recorder.connectDelayed()).isZero();
        host.sessions.forEach(Session::respond);
        assertThat(sample().summary().requests()).isEqualTo(4);
    }

    @Test
    void aConnectionThatCannotBeOpenedAheadLeavesTheHitsToOpenTheirOwn() {
        OpenLoopShare share = share(4_000, Duration.ofSeconds(1), 2);
        host.connectionsAheadAllowed = 1; // of the two it tries, one connects

        share.preconnect(Long.MAX_VALUE);
        assertThat(host.sessions).hasSize(1);
        host.sessions.getFirst().ask();
        clock.advance(Duration.ofNanos(250_000));
        share.turn(); // hits 0 and 1: the one opened ahead, and a new one (maxConcurrency 2 counts both)

        assertThat(host.sessions).hasSize(2);
        assertThat(host.sessions.getFirst().sent).isEqualTo(1);
        host.sessions.getLast().joinAndConnect();
        clock.advance(Duration.ofNanos(250_000));
        share.turn(); // hit 2: both busy, at maxConcurrency
        assertThat(host.sessions).hasSize(2);
    }

    @Test
    void aDueHitGoesToAWaitingConnectionAndANewOneOpensOnlyWhenNoneWaits() {
        OpenLoopShare share = share(100, Duration.ofSeconds(1), 10); // a hit every 10 ms

        share.turn();
        assertThat(host.sessions).hasSize(1);
        Session first = host.sessions.getFirst();
        first.joinAndConnect();
        clock.advance(Duration.ofMillis(2));
        first.respond();

        assertThat(first.state).as("nothing due: it waits, holding its connection").isEqualTo(Next.WAIT);
        assertThat(share.nanosUntilNextTurn()).isEqualTo(8 * MS);
        at(10, share);
        assertThat(first.sent).isEqualTo(2);
        assertThat(host.sessions).as("no new connection while one waited").hasSize(1);

        at(20, share); // the first is still busy with hit 1
        assertThat(host.sessions).hasSize(2);
        assertThat(recorder.delayed()).isZero();
        assertThat(recorder.connectDelayed()).isZero();
    }

    @Test
    void endingAnExchangeAllocatesNothingOnTheUsersSide() {
        OpenLoopShare share = share(20_000, Duration.ofSeconds(10), 10); // a hit every 50 µs
        share.turn();
        Session only = host.sessions.getFirst();
        only.joinAndConnect();
        Duration gap = Duration.ofNanos(50_000);
        for (int i = 0; i < 1_000; i++) { // first use: classes loaded, the recorder's cells made
            clock.advance(gap);
            only.respond();
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            clock.advance(gap);
            only.respond();
        }
        long withResponses = threads.getCurrentThreadAllocatedBytes() - before;
        before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            clock.advance(gap);
        }
        long clockAlone = threads.getCurrentThreadAllocatedBytes() - before; // the test's clock allocates as it moves

        assertThat(only.sent).as("each response's session sent the next hit at once").isEqualTo(11_001);
        assertThat(host.sessions).hasSize(1);
        // the user's side of a response (share, recorder, last response); the session's side hands over values,
        // where it made an Exchange record per response (40 bytes, 400,000 here) whose collections paused the loops
        assertThat(withResponses - clockAlone).as("bytes allocated by 10,000 responses").isLessThan(4_000);
    }

    @Test
    void aHitHeldBackByTheConcurrencyLimitIsDelayedAndTakenByTheFirstUserThatComesFree() {
        OpenLoopShare share = share(100, Duration.ofSeconds(1), 1);
        share.turn();
        Session only = host.sessions.getFirst();
        only.joinAndConnect();

        at(10, share);
        assertThat(host.sessions).as("the limit allows one connection").hasSize(1);
        assertThat(share.nanosUntilNextTurn()).as("held back, the share waits for a user, not a time")
                .isEqualTo(990 * MS);

        clock.advance(Duration.ofMillis(5));
        only.respond(); // comes free at 15 ms, with hit 1 due since 10 ms
        assertThat(only.state).isEqualTo(Next.SEND);
        clock.advance(Duration.ofMillis(1));
        only.respond();

        assertThat(recorder.delayed()).isEqualTo(1);
        assertThat(largestLagMs()).as("held back for a counted reason: not the generator's own lateness").isZero();
    }

    @Test
    void aHitLateForNoCountedReasonIsTheGeneratorsOwnLag() {
        OpenLoopShare share = share(100, Duration.ofSeconds(1), 10);
        share.turn();
        Session first = host.sessions.getFirst();
        first.joinAndConnect();
        clock.advance(Duration.ofMillis(1));
        first.respond();

        at(25, share); // the loop turns late (its core was busy): hits 1 and 2 are both due
        assertThat(first.sent).isEqualTo(2);
        assertThat(host.sessions).hasSize(2);
        clock.advance(Duration.ofMillis(1));
        first.respond();

        assertThat(recorder.delayed()).isZero();
        assertThat(recorder.connectDelayed()).isZero();
        assertThat(largestLagMs()).isEqualTo(15.0); // hit 1, due at 10 ms, sent at 25
    }

    @Test
    void hitsWaitingForConnectsInProgressAreConnectDelayed() {
        OpenLoopShare share = share(1000, Duration.ofSeconds(1), 100); // a hit every ms
        for (int ms = 0; ms <= 8; ms++) {
            at(ms, share);
        }
        assertThat(host.sessions).as("at most 8 connects under way").hasSize(8);

        at(12, share);
        host.sessions.getFirst().joinAndConnect(); // its connect took 12 ms: its own hit waited for it
        share.turn();
        assertThat(host.sessions).as("a connect ended: hit 8 gets the next one").hasSize(9);
        clock.advance(Duration.ofMillis(2));
        host.sessions.getLast().joinAndConnect(); // hit 8, due at 8 ms, waited for others' connects

        assertThat(recorder.connectDelayed()).isEqualTo(2);
        assertThat(recorder.maxConnectDelayNanos()).isEqualTo(12 * MS);
    }

    @Test
    void theEndCountsTheHitsNotStartedAsDroppedEndsWaitingUsersAndLetsThoseInFlightFinish() {
        OpenLoopShare share = share(100, Duration.ofMillis(100), 2); // 10 hits
        share.turn();
        Session busy = host.sessions.getFirst();
        busy.joinAndConnect();
        at(10, share);
        Session idle = host.sessions.getLast();
        idle.joinAndConnect();
        clock.advance(Duration.ofMillis(1));
        idle.respond();
        assertThat(idle.state).isEqualTo(Next.WAIT);

        at(100, share);

        assertThat(recorder.dropped()).as("hits 2 to 9: the loop's next turn came after the end").isEqualTo(8);
        assertThat(idle.state).isEqualTo(Next.END);
        assertThat(host.finished).isTrue();
        assertThat(share.nanosUntilNextTurn()).isEqualTo(Long.MAX_VALUE);
        clock.advance(Duration.ofMillis(50));
        busy.respond(); // in flight at the end: awaited and counted, then it ends
        assertThat(busy.state).isEqualTo(Next.END);
        assertThat(sample().summary().requests()).isEqualTo(2);
        assertThat(recorder.delayed()).isZero();
    }

    @Test
    void theLoopSpinsRatherThanParksForTheLastHitsBeforeTheEndSoThatATimerOvershootDropsNone() {
        OpenLoopShare share = share(5_000, Duration.ofMillis(1), 10); // 5 hits, every 200 µs, the last 200 µs before the end
        share.turn();
        long us = 1_000;

        clock.advance(Duration.ofNanos(100 * us));
        assertThat(share.nanosUntilNextTurn()).as("hit 1, far from the end: parks until it is due").isEqualTo(100 * us);
        clock.advance(Duration.ofNanos(600 * us));
        share.turn(); // hits 1 to 3
        assertThat(share.nanosUntilNextTurn()).as("hit 4, due 200 µs before the end: spins").isZero();
        share.turn();
        assertThat(host.sessions).as("not due yet: spinning starts nothing early").hasSize(4);

        clock.advance(Duration.ofNanos(100 * us));
        share.turn();
        assertThat(host.sessions).hasSize(5);
        clock.advance(Duration.ofNanos(200 * us));
        share.turn();
        assertThat(recorder.dropped()).isZero();
        assertThat(host.finished).isTrue();
    }

    @Test
    void theScheduleCountsFromWhenTheLoopStartedTheClockNotFromWhenTheRunWasMade() {
        workload = new OpenWorkload(new ConstantRate(100, 100 * MS), 10); // hits at 0, 10, ... 90 ms
        RunLifecycle life = new RunLifecycle(clock, workload.pacer().durationNanos());
        OpenLoopShare share = new OpenLoopShare(0, 1, workload, ExecutionSegment.WHOLE, 10, recorder, clock, life);
        share.runsOn(host);
        clock.advance(Duration.ofMillis(7)); // setting up the loops and starting their threads took 7 ms

        life.startClock();
        share.turn();
        host.sessions.getFirst().joinAndConnect();
        clock.advance(Duration.ofMillis(1));
        host.sessions.getFirst().respond();

        assertThat(recorder.connectDelayed()).isZero();
        assertThat(share.nanosUntilNextTurn()).as("hit 1 is due 10 ms after the clock started").isEqualTo(9 * MS);
        clock.advance(Duration.ofMillis(9 + 90)); // 100 ms after the start: the end
        share.turn();
        assertThat(host.finished).isTrue();
        assertThat(recorder.dropped()).as("every hit was due before the end, counted from the start").isEqualTo(9);
        RunSnapshot last = new RunSampler(recorder, new OpenPlan(workload.pacer()::hitsBefore, workload.pacer().durationNanos()))
                .sample(life.elapsedNanos() + 1, true);
        assertThat(last.timeline().getFirst().schedulerLagMs()).as("the first hit was sent when due").isZero();
    }

    @Test
    void aClockThatReadsNegativeStartsNoHitBeyondThePlan() {
        long[] now = {Long.MIN_VALUE / 2}; // System.nanoTime may be negative: only differences mean anything
        NanoClock negative = () -> now[0];
        workload = new OpenWorkload(new ConstantRate(10, 200 * MS), 10); // hits at 0 and 100 ms
        RunLifecycle life = new RunLifecycle(negative, workload.pacer().durationNanos());
        OpenLoopShare share = new OpenLoopShare(0, 1, workload, ExecutionSegment.WHOLE, 2, recorder, negative, life);
        share.runsOn(host);

        share.turn();
        host.sessions.getFirst().joinAndConnect();
        now[0] += 150 * MS;
        share.turn();
        host.sessions.getLast().joinAndConnect();
        host.sessions.getFirst().respond();

        assertThat(host.sessions).hasSize(2);
        assertThat(host.sessions.getFirst().state).as("no third hit to take").isEqualTo(Next.WAIT);
        assertThat(share.nanosUntilNextTurn()).as("only the end is left").isEqualTo(50 * MS);
        now[0] += 50 * MS;
        share.turn();
        assertThat(recorder.dropped()).isZero();
        assertThat(host.finished).isTrue();
    }

    @Test
    void aShareTakesEveryLthHitOfItsSegmentAtTheDueTimeItHasInTheWholePlan() {
        // hit n due at 10n ms; segment 1/3:2/3 owns n = 1, 4, 7, 10, ...; loop 1 of 2 takes the 2nd, 4th, ... of those
        OpenLoopShare share = share(100, Duration.ofSeconds(1), 10, ExecutionSegment.of(2, 3), 1, 2);

        assertThat(share.nanosUntilNextTurn()).isEqualTo(40 * MS);
        at(40, share);
        host.sessions.getFirst().joinAndConnect();
        clock.advance(Duration.ofMillis(1));
        host.sessions.getFirst().respond();
        assertThat(share.nanosUntilNextTurn()).isEqualTo(59 * MS); // hit 10, at 100 ms

        at(1000, share);
        // the segment holds 33 of the plan's 100 hits, this share 16 of them: one sent, 15 dropped
        assertThat(recorder.dropped()).isEqualTo(15);
    }
}
