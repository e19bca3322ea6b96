package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Transport;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: hit n (iteration n: one request of a single-request test, one scenario's steps
 * otherwise) starts when the pacer says it is due, whatever the target does, and no hit starts
 * after the duration.
 *
 * <p>One dispatcher (a platform thread, so its timing does not queue behind request work) sleeps
 * until the next hit is due (spinning for a hit due in the last moments of the run, which a park's
 * overshoot would carry past the end), then hands it to an idle worker. Workers are virtual threads, each
 * with its own keep-alive connection, waiting untimed for their next hit; so the only timer is the
 * dispatcher's, whatever the pool size (a timed park per request cost as much as the request
 * itself). A worker that comes free while the next hit is already due claims it itself instead of
 * going idle: behind schedule, hits go out without a hand-off (two thread switches each on a shared
 * core). With no idle worker a new one is started, which connects before it sends; only a few
 * connect at once, so a slow start does not snowball into a connection storm, and none while the
 * carriers are behind ({@link CarrierBacklog}): then the workers are waiting for the CPU, not the
 * target, and a connection would only add work. A hit that has to wait is held back for a reason
 * that is counted: every allowed worker busy ({@code delayed}), or new connections still being set
 * up ({@code connectDelayed}). Lateness without such a reason is the generator's own
 * ({@code schedulerLagMs}). When the duration ends, the hits still waiting and all
 * later ones are not sent but counted as dropped, so the requests sent plus those dropped are the
 * plan, and a run lasts at most its duration plus one request timeout. With an
 * {@link ExecutionSegment} only the hits of that segment are sent (and counted as dropped), each at
 * the due time it has in the whole plan.
 *
 * <p>Latency is measured from the due time (no coordinated omission), service time from the send.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread. A hit belongs to whoever
 * moves the shared cursor past it by compare-and-set (the dispatcher, or a worker that came free),
 * so each hit is sent once; the dispatcher closes the cursor at the end before counting the hits
 * nobody claimed as dropped. Workers and dispatcher otherwise meet through the idle stack
 * (lock-free), atomic counters and volatile hand-off fields.
 */
final class OpenModelRun implements HoldUp.Pool {

    private static final long NO_HIT = Long.MIN_VALUE;
    /** The cursor's value once the schedule is over: no hit can be claimed any more. */
    private static final long CLOSED = Long.MAX_VALUE;
    private static final long RECHECK_CARRIERS_NANOS = 500_000;

    private final OpenWorkload workload;
    private final ExecutionSegment segment;
    private final ScenarioPlan plan;
    private final Transport[] transports;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final CarrierBacklog carriers;
    private final ThreadFactory workerThreads;
    private final ThreadFactory dispatcherThread;
    private final RunLifecycle life;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    /** The next hit of the segment nobody has claimed yet; the dispatcher and free workers claim by CAS. */
    private final AtomicLong cursor;
    /** What the dispatcher waits for, while it waits: the reason a hit a worker claims late was held back. */
    private volatile HoldUp holdingFor = HoldUp.NONE;
    private int workersStarted; // confined to the dispatcher
    private volatile Thread dispatcher;
    private volatile boolean dispatcherWaiting;
    private volatile boolean scheduleDone;

    OpenModelRun(OpenWorkload workload, ExecutionSegment segment, ScenarioPlan plan, Transport[] transports,
                 RunRecorder recorder, NanoClock clock, CarrierBacklog carriers, ThreadFactory workerThreads,
                 ThreadFactory dispatcherThread) {
        this.workload = workload;
        this.segment = segment;
        this.plan = plan;
        this.transports = transports;
        this.recorder = recorder;
        this.clock = clock;
        this.carriers = carriers;
        this.workerThreads = workerThreads;
        this.dispatcherThread = dispatcherThread;
        this.life = new RunLifecycle(clock, workload.pacer().durationNanos());
        this.cursor = new AtomicLong(segment.nextOwned(0));
    }

    /** Starts the load; the returned handle follows, cancels and awaits it. */
    LoadRun start() {
        life.spawn(dispatcherThread, this::dispatch);
        life.release();
        return life;
    }

    private void dispatch() {
        dispatcher = Thread.currentThread();
        Pacer pacer = workload.pacer();
        long start = life.startNanos();
        long deadline = life.deadlineNanos();
        try {
            while (!life.cancelled()) {
                long hit = cursor.get();
                long offset = pacer.dueNanos(hit);
                if (offset == Pacer.NEVER) {
                    clock.parkUntil(deadline); // the run lasts its duration, not until its last request
                    break;
                }
                long due = start + offset;
                if (deadline - due < RunLifecycle.SPIN_BEFORE_END_NANOS) {
                    clock.awaitPrecisely(due, RunLifecycle.SPIN_BEFORE_END_NANOS);
                } else {
                    clock.parkUntil(due);
                }
                if (!handOut(hit, due, deadline)) {
                    break;
                }
            }
            long firstUnclaimed = cursor.getAndSet(CLOSED); // from here on no worker claims a hit
            if (!life.cancelled()) {
                recorder.durationEnded();
                long total = pacer.totalHits();
                recorder.requestsDropped(segment.scale(total) - segment.scale(Math.min(firstUnclaimed, total)));
            }
        } catch (InterruptedException e) {
            // cancelled: the workers are interrupted too
        } finally {
            cursor.set(CLOSED);
            scheduleDone = true;
            for (Worker worker = idle.pollFirst(); worker != null; worker = idle.pollFirst()) {
                worker.release();
            }
        }
    }

    /**
     * Gives the hit to a worker, waiting for one if need be; true once a worker has it (perhaps a
     * worker that came free and claimed it itself), false when the duration ended first.
     */
    private boolean handOut(long hit, long due, long deadline) throws InterruptedException {
        HoldUp holdUp = HoldUp.NONE;
        dispatcherWaiting = true; // from here on, a worker that frees up wakes the dispatcher
        try {
            while (clock.nanoTime() - deadline < 0) {
                if (cursor.get() != hit) {
                    return true; // a worker that came free took it
                }
                Worker worker = idle.pollFirst();
                if (worker != null) {
                    if (!claim(hit)) {
                        idle.offerFirst(worker);
                        return true;
                    }
                    assign(worker, hit, due, holdUp);
                    return true;
                }
                if (atMaxConcurrency()) {
                    holdUp = HoldUp.MAX_CONCURRENCY;
                } else if (workers.get() > 0 && carriers.saturated()) {
                    holdUp = HoldUp.BUSY_CARRIERS;
                } else if (atMaxConnects()) {
                    holdUp = HoldUp.CONNECTING;
                } else {
                    if (claim(hit)) {
                        addWorker(hit, due, holdUp.waitedForConnects());
                    }
                    return true;
                }
                holdingFor = holdUp;
                // busy carriers may catch up before any worker frees up: look again soon
                clock.parkUntilWoken(this, holdUp == HoldUp.BUSY_CARRIERS
                        ? Math.min(deadline, clock.nanoTime() + RECHECK_CARRIERS_NANOS) : deadline);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        } finally {
            dispatcherWaiting = false;
            holdingFor = HoldUp.NONE;
        }
    }

    private boolean claim(long hit) {
        return cursor.compareAndSet(hit, segment.nextOwned(hit + 1));
    }

    /**
     * Claims the next hit if it is due already (and due before the end of the duration): a worker that
     * comes free while the schedule is behind takes its next hit itself, with no hand-off through the
     * dispatcher, so a generator short of CPU spends none of it on waking threads. NO_HIT when none is due.
     */
    private long claimDue() {
        long now = clock.nanoTime();
        if (now - life.deadlineNanos() >= 0) {
            return NO_HIT; // no hit starts after the duration: the dispatcher counts the rest as dropped
        }
        while (true) {
            long hit = cursor.get();
            if (hit == CLOSED) {
                return NO_HIT;
            }
            long offset = workload.pacer().dueNanos(hit);
            if (offset == Pacer.NEVER) {
                return NO_HIT;
            }
            long due = life.startNanos() + offset;
            if (due - now > 0) {
                return NO_HIT;
            }
            if (claim(hit)) {
                return hit;
            }
        }
    }

    private void assign(Worker worker, long hit, long due, HoldUp waitedFor) {
        worker.assign(hit, due, countHeldBack(due, waitedFor));
    }

    /** Counts a late hit under what held it back, if anything did; true when something did. */
    private boolean countHeldBack(long due, HoldUp waitedFor) {
        return HoldUp.countLate(recorder, clock.nanoTime() - due, waitedFor, this);
    }

    @Override
    public boolean atMaxConcurrency() {
        return workers.get() >= workload.maxConcurrency();
    }

    @Override
    public boolean atMaxConnects() {
        return connecting.get() >= HoldUp.MAX_PARALLEL_CONNECTS;
    }

    /** Starts a worker that connects, then sends its first hit. */
    private void addWorker(long firstHit, long firstDue, boolean waitedForConnects) {
        workers.incrementAndGet();
        connecting.incrementAndGet();
        Worker worker = new Worker(++workersStarted, firstHit, firstDue, waitedForConnects);
        life.spawn(workerThreads, worker::run);
    }

    private void wakeDispatcher() {
        if (dispatcherWaiting) {
            LockSupport.unpark(dispatcher);
        }
    }

    private final class Worker {

        private final int number;
        private final boolean firstHitWaitedForConnects;
        private volatile boolean assignedHeldBack;
        private volatile long assignedHit; // written before assignedDue, read after it
        private volatile long assignedDue;
        private volatile Thread thread;

        Worker(int number, long firstHit, long firstDue, boolean firstHitWaitedForConnects) {
            this.number = number;
            this.assignedHit = firstHit;
            this.assignedDue = firstDue;
            this.firstHitWaitedForConnects = firstHitWaitedForConnects;
        }

        void assign(long hit, long due, boolean heldBack) {
            assignedHeldBack = heldBack;
            assignedHit = hit;
            assignedDue = due;
            LockSupport.unpark(thread);
        }

        void release() {
            LockSupport.unpark(thread);
        }

        void run() {
            thread = Thread.currentThread();
            try (VirtualUser user = new VirtualUser(plan, transports, recorder, clock, number, true)) {
                long connectStart = clock.nanoTime();
                try {
                    user.connect();
                } finally {
                    connecting.decrementAndGet();
                    wakeDispatcher();
                }
                long connected = clock.nanoTime();
                long due = awaitHit();
                long hit = assignedHit;
                boolean heldBack = HoldUp.countFirstHit(recorder, due, connectStart, connected, firstHitWaitedForConnects);
                while (due != NO_HIT && !life.cancelled() && send(user, hit, due, heldBack)) {
                    hit = claimDue();
                    if (hit != NO_HIT) {
                        due = life.startNanos() + workload.pacer().dueNanos(hit);
                        heldBack = countHeldBack(due, holdingFor);
                        continue;
                    }
                    becomeIdle();
                    due = awaitHit();
                    hit = assignedHit;
                    heldBack = assignedHeldBack;
                }
            } catch (InterruptedException e) {
                // cancelled while connecting
            } finally {
                workers.decrementAndGet();
                wakeDispatcher();
            }
        }

        private long awaitHit() {
            while (true) {
                long due = assignedDue;
                if (due != NO_HIT) {
                    assignedDue = NO_HIT;
                    return due;
                }
                if (scheduleDone || life.cancelled()) {
                    return NO_HIT;
                }
                LockSupport.park(this);
            }
        }

        private void becomeIdle() {
            idle.offerFirst(this);
            wakeDispatcher();
            if (scheduleDone) {
                idle.remove(this); // the dispatcher drained the stack before we joined it
            }
        }

        /** Runs one hit's iteration, unless the duration is over; false when the run is being cancelled. */
        private boolean send(VirtualUser user, long hit, long due, boolean heldBack) throws InterruptedException {
            clock.parkUntil(due); // a fake clock may not have reached the due time yet; a real one has
            long started = clock.nanoTime();
            long deadline = life.deadlineNanos();
            if (started - deadline >= 0) {
                recorder.requestsDropped(1); // handed out in time, but no request starts after the duration
                return true;
            }
            return user.run(hit, due, started, true, heldBack, deadline, life) != VirtualUser.CANCELLED;
        }
    }
}
