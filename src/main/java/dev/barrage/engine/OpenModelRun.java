package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Transport;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: hit n (iteration n: one request of a single-request test, one scenario's steps
 * otherwise) starts when the pacer says it is due, whatever the target does, and no hit starts
 * after the duration.
 *
 * <p>One dispatcher (a platform thread, so its timing does not queue behind request work) sleeps
 * until the next hit is due, then hands it to an idle worker. Workers are virtual threads, each
 * with its own keep-alive connection, waiting untimed for their next hit; so the only timer is the
 * dispatcher's, whatever the pool size (a timed park per request cost as much as the request
 * itself). With no idle worker a new one is started, which connects before it sends; only a few
 * connect at once, so a slow start does not snowball into a connection storm. A hit that has to
 * wait is held back for a reason that is counted: every allowed worker busy ({@code delayed}), or
 * new connections still being set up ({@code connectDelayed}). Lateness without such a reason is the
 * generator's own ({@code schedulerLagMs}). When the duration ends, the hits still waiting and all
 * later ones are not sent but counted as dropped, so the requests sent plus those dropped are the
 * plan, and a run lasts at most its duration plus one request timeout. With an
 * {@link ExecutionSegment} only the hits of that segment are sent (and counted as dropped), each at
 * the due time it has in the whole plan.
 *
 * <p>Latency is measured from the due time (no coordinated omission), service time from the send.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread. The hit sequence is
 * confined to the dispatcher; workers and dispatcher meet through the idle stack (lock-free),
 * atomic counters and volatile hand-off fields.
 */
final class OpenModelRun {

    private static final int MAX_PARALLEL_CONNECTS = 8;
    private static final long NO_HIT = Long.MIN_VALUE;
    /** Later than this, a hit counts as held back (when something held it) or as scheduler lag. */
    private static final long LATE_NANOS = 1_000_000;

    /** Why the dispatcher could not hand a hit out at once. */
    private enum HoldUp { NONE, MAX_CONCURRENCY, CONNECTING }

    private final OpenWorkload workload;
    private final ExecutionSegment segment;
    private final ScenarioPlan plan;
    private final Transport[] transports;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final ThreadFactory workerThreads;
    private final ThreadFactory dispatcherThread;
    private final RunLifecycle life;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private int workersStarted; // confined to the dispatcher
    private volatile Thread dispatcher;
    private volatile boolean dispatcherWaiting;
    private volatile boolean scheduleDone;

    OpenModelRun(OpenWorkload workload, ExecutionSegment segment, ScenarioPlan plan, Transport[] transports,
                 RunRecorder recorder, NanoClock clock, ThreadFactory workerThreads, ThreadFactory dispatcherThread) {
        this.workload = workload;
        this.segment = segment;
        this.plan = plan;
        this.transports = transports;
        this.recorder = recorder;
        this.clock = clock;
        this.workerThreads = workerThreads;
        this.dispatcherThread = dispatcherThread;
        this.life = new RunLifecycle(clock, workload.pacer().durationNanos());
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
            long hit = segment.nextOwned(0);
            for (; !life.cancelled(); hit = segment.nextOwned(hit + 1)) {
                long offset = pacer.dueNanos(hit);
                if (offset == Pacer.NEVER) {
                    clock.parkUntil(deadline); // the run lasts its duration, not until its last request
                    break;
                }
                long due = start + offset;
                clock.parkUntil(due);
                if (!handOut(hit, due, deadline)) {
                    break;
                }
            }
            if (!life.cancelled()) {
                recorder.durationEnded();
                recorder.requestsDropped(segment.scale(pacer.totalHits()) - segment.scale(Math.min(hit, pacer.totalHits())));
            }
        } catch (InterruptedException e) {
            // cancelled: the workers are interrupted too
        } finally {
            scheduleDone = true;
            for (Worker worker = idle.pollFirst(); worker != null; worker = idle.pollFirst()) {
                worker.release();
            }
        }
    }

    /** Gives the hit to a worker, waiting for one if need be; false when the duration ended first. */
    private boolean handOut(long hit, long due, long deadline) throws InterruptedException {
        HoldUp holdUp = HoldUp.NONE;
        dispatcherWaiting = true; // from here on, a worker that frees up wakes the dispatcher
        try {
            while (clock.nanoTime() - deadline < 0) {
                Worker worker = idle.pollFirst();
                if (worker != null) {
                    assign(worker, hit, due, holdUp);
                    return true;
                }
                if (workers.get() >= workload.maxConcurrency()) {
                    holdUp = HoldUp.MAX_CONCURRENCY;
                } else if (connecting.get() >= MAX_PARALLEL_CONNECTS) {
                    holdUp = HoldUp.CONNECTING;
                } else {
                    addWorker(hit, due, holdUp != HoldUp.NONE);
                    return true;
                }
                clock.parkUntilWoken(this, deadline);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        } finally {
            dispatcherWaiting = false;
        }
    }

    private void assign(Worker worker, long hit, long due, HoldUp waitedFor) {
        long lateNanos = clock.nanoTime() - due;
        HoldUp cause = lateNanos > LATE_NANOS ? causeOfLateness(waitedFor) : HoldUp.NONE;
        switch (cause) {
            case MAX_CONCURRENCY -> recorder.requestDelayed();
            case CONNECTING -> recorder.requestConnectDelayed(lateNanos);
            case NONE -> { } // on time, or the generator's own lateness (scheduler lag)
        }
        worker.assign(hit, due, cause != HoldUp.NONE);
    }

    /**
     * What held a late hit back: what the dispatcher waited for, or, when it found a worker at once,
     * the pool being at a limit (the worker only just came free).
     */
    private HoldUp causeOfLateness(HoldUp waitedFor) {
        if (waitedFor != HoldUp.NONE) {
            return waitedFor;
        }
        if (workers.get() >= workload.maxConcurrency()) {
            return HoldUp.MAX_CONCURRENCY;
        }
        return connecting.get() >= MAX_PARALLEL_CONNECTS ? HoldUp.CONNECTING : HoldUp.NONE;
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
                // the first hit waits for this worker's own connect, and perhaps waited for others' before
                boolean heldBack = connected - due > LATE_NANOS
                        && (firstHitWaitedForConnects || connected - connectStart > LATE_NANOS);
                if (heldBack) {
                    recorder.requestConnectDelayed(connected - due);
                }
                while (due != NO_HIT && !life.cancelled() && send(user, assignedHit, due, heldBack)) {
                    becomeIdle();
                    due = awaitHit();
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
