package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.LoopDriver;
import dev.barrage.engine.transport.LoopHandle;
import dev.barrage.engine.transport.LoopHost;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One event loop's share of an open-model schedule ({@link EventLoopOpenRun}): the loop's driver,
 * which starts each of its hits when it is due. A due hit goes to the connection that waited least
 * (its user was waiting, holding no thread); with none waiting a new user connects for it, unless
 * the share holds its part of maxConcurrency connections already (the hit is then delayed) or its
 * part of the connects in progress (connect-delayed); held back, it goes to the first user that
 * comes free, which takes a hit already due itself. Lateness with no such reason is the generator's
 * own (scheduler lag). At the end of the duration the share stops: the hits it did not start are
 * counted as dropped, waiting connections are closed, and those in flight end as they end.
 *
 * <p>The rules are {@link OpenModelRun}'s, with its limits split between the loops so that they
 * never wait for each other.
 *
 * <p>Thread-safety: confined to its loop's thread, as are its users.
 */
final class OpenLoopShare implements LoopDriver, HoldUp.Pool {

    /**
     * Connections are opened before the run for the hits due this early in it: about the longest the
     * generator's own thread waits for its core on a busy machine (the kernel's 4 ms tick), so that the
     * hits come due meanwhile find connections waiting instead of a burst of connects.
     */
    static final long PRECONNECT_FOR_NANOS = 5_000_000;
    /** At most this many connections of one run are opened before it. */
    static final int MAX_PRECONNECTS = 64;
    /** The due time once the share has no hit left; compared only after {@code next < hits}, as it overflows. */
    private static final long NOTHING_DUE = Long.MAX_VALUE;

    private final int index;
    private final int loops;
    private final Pacer pacer;
    private final ExecutionSegment segment;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final RunLifecycle life;
    private final long hits;
    private final int maxUsers;
    private final int maxConnects;
    private final ArrayDeque<User> waiting = new ArrayDeque<>();
    private LoopHost loop;
    private boolean started;
    private long start; // the run's, read on the first turn: the clock starts when the loops run
    private long deadline;
    private long next; // the share's next hit nobody has started
    private long nextDue;
    private int users; // started; none leaves before the end
    private int connecting;
    private HoldUp holdingFor = HoldUp.NONE; // why the next hit, due already, waits
    private boolean stalled; // it waits for a user to come free or a connect to end, not for a time
    private boolean over;

    /**
     * @param planned the segment's hits in the whole plan; this share's are every {@code loops}-th of
     *                them, from the {@code index}-th on
     */
    OpenLoopShare(int index, int loops, OpenWorkload workload, ExecutionSegment segment, long planned,
                  RunRecorder recorder, NanoClock clock, RunLifecycle life) {
        this.index = index;
        this.loops = loops;
        this.pacer = workload.pacer();
        this.segment = segment;
        this.recorder = recorder;
        this.clock = clock;
        this.life = life;
        this.hits = planned > index ? (planned - index - 1) / loops + 1 : 0;
        this.maxUsers = workload.maxConcurrency() / loops + (index < workload.maxConcurrency() % loops ? 1 : 0);
        this.maxConnects = Math.max(1, HoldUp.MAX_PARALLEL_CONNECTS / loops);
    }

    void runsOn(LoopHost loop) {
        this.loop = loop;
    }

    /**
     * Before the run's clock starts, on the loop's thread: opens a connection for each of the share's
     * hits due in the run's first {@link #PRECONNECT_FOR_NANOS}, at most its part of {@link
     * #MAX_PRECONNECTS} and of maxConcurrency, so that neither the first hits nor those that come due
     * together after a pause of the loop wait for connects: a waiting connection takes them. The connects
     * run at once; those not done by {@code deadlineNanos} (on {@link System#nanoTime()}) and those that
     * fail are given up, uncounted: the hits then open their own, as any hit that finds no connection
     * waiting does.
     */
    void preconnect(long deadlineNanos) {
        User[] ahead = new User[preconnections()];
        for (int i = 0; i < ahead.length; i++) {
            ahead[i] = new User();
        }
        LoopHandle[] handles = loop.addConnected(ahead, deadlineNanos);
        for (int i = 0; i < ahead.length; i++) {
            if (handles[i] != null) {
                ahead[i].handle = handles[i];
                users++;
            }
        }
    }

    /** How many connections {@link #preconnect} opens. */
    int preconnections() {
        long early = segment.scale((long) Math.ceil(pacer.hitsBefore(PRECONNECT_FOR_NANOS)));
        long mine = early > index ? (early - index - 1) / loops + 1 : 0;
        return (int) Math.min(mine, Math.min(Math.max(1, MAX_PRECONNECTS / loops), maxUsers));
    }

    @Override
    public long nanosUntilNextTurn() {
        if (over) {
            return Long.MAX_VALUE;
        }
        startIfNew();
        if (stalled || next >= hits || nextDue - deadline >= 0) {
            return deadline - clock.nanoTime();
        }
        long untilDue = nextDue - clock.nanoTime();
        boolean spin = deadline - nextDue < RunLifecycle.SPIN_BEFORE_END_NANOS
                && untilDue < RunLifecycle.SPIN_BEFORE_END_NANOS;
        return spin ? 0 : untilDue;
    }

    @Override
    public void turn() {
        if (over) {
            return;
        }
        startIfNew();
        long now = clock.nanoTime();
        if (life.cancelled()) {
            return; // the loop is interrupted: it abandons every session
        }
        if (now - deadline >= 0) {
            end();
            return;
        }
        while (next < hits && nextDue - now <= 0) {
            HoldUp holdUp = startNext(now);
            if (holdUp != HoldUp.NONE) {
                holdingFor = holdUp;
                stalled = true;
                return;
            }
        }
    }

    /** Reads the run's start once the loop runs: its first call comes after the run's clock started ({@link StartLine}). */
    private void startIfNew() {
        if (!started) {
            started = true;
            start = life.startNanos();
            deadline = life.deadlineNanos();
            nextDue = dueOf(0);
        }
    }

    /** Starts the next hit, due now, on a waiting user or a new one; what held it back when neither can. */
    private HoldUp startNext(long now) {
        User user = waiting.pollFirst();
        if (user != null) {
            HoldUp waitedFor = holdingFor;
            long due = take();
            user.assign(due, countHeldBack(now, due, waitedFor));
            user.handle.resume();
            return HoldUp.NONE;
        }
        if (atMaxConcurrency()) {
            return HoldUp.MAX_CONCURRENCY;
        }
        if (atMaxConnects()) {
            return HoldUp.CONNECTING;
        }
        boolean waitedForConnects = holdingFor.waitedForConnects();
        long due = take();
        users++;
        connecting++;
        User added = new User(due, waitedForConnects, now);
        added.handle = loop.add(added);
        return HoldUp.NONE;
    }

    /** Moves past the next hit, which somebody starts now; returns its due time. */
    private long take() {
        long due = nextDue;
        next++;
        nextDue = dueOf(next);
        holdingFor = HoldUp.NONE;
        stalled = false;
        return due;
    }

    private long hitOf(long shareHit) {
        return segment.nthOwned(shareHit * loops + index);
    }

    private long dueOf(long shareHit) {
        return shareHit < hits ? start + pacer.dueNanos(hitOf(shareHit)) : NOTHING_DUE;
    }

    /** Counts a late hit under what held it back, if anything did; true when something did. */
    private boolean countHeldBack(long now, long due, HoldUp waitedFor) {
        return HoldUp.countLate(recorder, now - due, waitedFor, this);
    }

    @Override
    public boolean atMaxConcurrency() {
        return users >= maxUsers;
    }

    @Override
    public boolean atMaxConnects() {
        return connecting >= maxConnects;
    }

    /** The duration is over: no hit starts any more. */
    private void end() {
        over = true;
        if (!life.cancelled()) {
            if (index == 0) {
                recorder.durationEnded();
            }
            recorder.requestsDropped(hits - next);
        }
        List<User> idle = List.copyOf(waiting);
        waiting.clear();
        for (User user : idle) {
            user.handle.resume(); // it ends: its connection is closed after a last look for stray bytes
        }
        loop.finish();
    }

    /** One connection's user: sends the hits the share gives it, or that it takes itself when it comes free late. */
    private final class User extends CountingLoopUser {

        private final boolean firstHitWaitedForConnects;
        private final long connectStart;
        private LoopHandle handle;
        private boolean connectingFirst = true;
        private boolean assigned = true;
        private long due;
        private boolean heldBack;
        private long sent;

        User(long firstDue, boolean firstHitWaitedForConnects, long connectStart) {
            super(OpenLoopShare.this.recorder);
            this.due = firstDue;
            this.firstHitWaitedForConnects = firstHitWaitedForConnects;
            this.connectStart = connectStart;
        }

        /** A user whose connection was opened before the run's clock started ({@link #preconnect}): it waits for a hit. */
        User() {
            super(OpenLoopShare.this.recorder);
            this.firstHitWaitedForConnects = false;
            this.connectStart = 0;
            this.connectingFirst = false;
            this.assigned = false;
        }

        void assign(long due, boolean heldBack) {
            this.due = due;
            this.heldBack = heldBack;
            this.assigned = true;
        }

        @Override
        public Next nextRequest() {
            if (life.cancelled()) {
                return Next.END;
            }
            while (true) {
                if (!assigned) {
                    if (over) {
                        return Next.END;
                    }
                    if (!claimDue()) {
                        waiting.addFirst(this);
                        return Next.WAIT;
                    }
                }
                assigned = false;
                long now = clock.nanoTime();
                if (now - deadline < 0) {
                    recorder.iterationStarted();
                    recorder.requestStarted();
                    sent = now;
                    return Next.SEND;
                }
                recorder.requestsDropped(1); // given in time, but no request starts after the duration
            }
        }

        /** Takes the share's next hit if it is due already (and the duration not over); false when none is. */
        private boolean claimDue() {
            long now = clock.nanoTime();
            if (now - deadline >= 0 || next >= hits || nextDue - now > 0) {
                return false;
            }
            HoldUp waitedFor = holdingFor;
            long hitDue = take();
            assign(hitDue, countHeldBack(now, hitDue, waitedFor));
            return true;
        }

        @Override
        public void connected() {
            if (!connectingFirst) {
                return; // a later connection (no keep-alive, or the last one was closed) counts into the service time
            }
            firstConnectEnded();
            long now = clock.nanoTime();
            heldBack = HoldUp.countFirstHit(recorder, due, connectStart, now, firstHitWaitedForConnects);
            sent = now;
        }

        private void firstConnectEnded() {
            connectingFirst = false;
            connecting--;
            stalled = false; // a hit held back for connects may start now
        }

        @Override
        public void exchangeEnded(int status, ErrorKind error, long bytesSent, long bytesReceived) {
            long ended = clock.nanoTime();
            if (connectingFirst) {
                firstConnectEnded(); // the connect failed
            }
            long latency = ended - due;
            recorder.requestEnded(0, status, error, bytesSent, bytesReceived, latency, ended - sent, heldBack ? 0 : sent - due);
            lastResponse.recorded(0, status, error, latency);
            recorder.iterationCompleted();
        }

    }
}
