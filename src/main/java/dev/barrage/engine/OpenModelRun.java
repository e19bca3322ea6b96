package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: hit n starts when the pacer says it is due, whatever the target does.
 *
 * <p>One dispatcher (a platform thread, so its timing does not queue behind request work) sleeps
 * until the next hit is due, then hands every due hit to an idle worker. Workers are virtual
 * threads, each with its own keep-alive connection, waiting untimed for their next hit; so the
 * only timer is the dispatcher's, whatever the pool size (a timed park per request cost as much
 * as the request itself). With no idle worker a new one is started, up to {@code maxConcurrency};
 * at the limit the dispatcher waits for a worker to free up, and a hit handed out more than 1 ms
 * late while every allowed worker is busy is counted as delayed. A new worker connects before taking a hit, and only a few
 * connect at once, so a slow start does not snowball into a connection storm.
 *
 * <p>Latency is measured from the due time (no coordinated omission), service time from the send.
 * Every hit due before the end is sent, however late, so the count is exactly the plan's.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread. The hit sequence
 * is confined to the dispatcher; workers and dispatcher meet through the idle stack (lock-free)
 * and volatile hand-off fields.
 */
final class OpenModelRun {

    private static final int MAX_PARALLEL_CONNECTS = 8;
    private static final long NO_HIT = Long.MIN_VALUE;
    /** Later than this, with every allowed worker busy, a hit counts as delayed by maxConcurrency. */
    private static final long DELAY_TOLERANCE_NANOS = 1_000_000;

    private final OpenWorkload workload;
    private final Transport transport;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final ThreadFactory workerThreads;
    private final ThreadFactory dispatcherThread;
    private final RunLifecycle life;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private volatile Thread dispatcher;
    private volatile boolean dispatcherWaiting;
    private volatile boolean scheduleDone;

    OpenModelRun(OpenWorkload workload, Transport transport, RunRecorder recorder, NanoClock clock,
                 ThreadFactory workerThreads, ThreadFactory dispatcherThread) {
        this.workload = workload;
        this.transport = transport;
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
        try {
            for (long hit = 0; !life.cancelled(); hit++) {
                long offset = pacer.dueNanos(hit);
                if (offset == Pacer.NEVER) {
                    clock.parkUntil(life.deadlineNanos()); // the run lasts its duration, not until its last request
                    return;
                }
                long due = start + offset;
                clock.parkUntil(due);
                Worker worker = idle.pollFirst();
                if (worker == null) {
                    if (addWorker(due)) {
                        continue;
                    }
                    worker = awaitIdleWorker();
                }
                if (clock.nanoTime() - due > DELAY_TOLERANCE_NANOS && workers.get() >= workload.maxConcurrency()) {
                    recorder.requestDelayed();
                }
                worker.assign(due);
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

    /** Starts a worker with its first hit; false at maxConcurrency or while too many are connecting. */
    private boolean addWorker(long firstDue) {
        if (connecting.get() >= MAX_PARALLEL_CONNECTS || workers.get() >= workload.maxConcurrency()) {
            return false;
        }
        workers.incrementAndGet();
        connecting.incrementAndGet();
        Worker worker = new Worker(firstDue);
        life.spawn(workerThreads, worker::run);
        return true;
    }

    private Worker awaitIdleWorker() throws InterruptedException {
        while (true) {
            dispatcherWaiting = true;
            Worker worker = idle.pollFirst();
            if (worker != null) {
                dispatcherWaiting = false;
                return worker;
            }
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private final class Worker {

        private volatile long assignedDue;
        private volatile Thread thread;

        Worker(long firstDue) {
            this.assignedDue = firstDue;
        }

        void assign(long due) {
            assignedDue = due;
            LockSupport.unpark(thread);
        }

        void release() {
            LockSupport.unpark(thread);
        }

        void run() {
            thread = Thread.currentThread();
            try (TransportSession session = transport.openSession()) {
                try {
                    session.connect();
                } finally {
                    connecting.decrementAndGet();
                }
                while (!life.cancelled()) {
                    long due = awaitHit();
                    if (due == NO_HIT || !send(session, due)) {
                        return;
                    }
                    becomeIdle();
                }
            } catch (InterruptedException e) {
                // cancelled while connecting
            } finally {
                workers.decrementAndGet();
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
            if (dispatcherWaiting) {
                LockSupport.unpark(dispatcher);
            }
            if (scheduleDone) {
                idle.remove(this); // the dispatcher drained the stack before we joined it
            }
        }
    }

    /** Sends one hit; false when the run is being cancelled and the hit was abandoned. */
    private boolean send(TransportSession session, long due) throws InterruptedException {
        clock.parkUntil(due); // a fake clock may not have reached the due time yet; a real one has
        long sent = clock.nanoTime();
        recorder.requestStarted();
        Exchange exchange;
        try {
            exchange = session.execute();
        } catch (InterruptedException e) {
            recorder.requestAborted();
            return false;
        }
        long ended = clock.nanoTime();
        recorder.requestEnded(exchange, ended - due, ended - sent, sent - due);
        return true;
    }
}
