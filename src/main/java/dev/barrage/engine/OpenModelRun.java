package dev.barrage.engine;

import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open model: hit n starts when the pacer says it is due, whatever the target does. Workers
 * (virtual threads, each with its own keep-alive connection) claim the next hit from a shared
 * counter, wait until it is due, send it, and claim again; there is no dispatcher to fall behind.
 * When every worker is busy a new one is started, up to {@code maxConcurrency}; beyond that a hit
 * waits for a free worker and is counted as delayed. Latency is measured from the due time (no
 * coordinated omission); service time from the actual send.
 *
 * <p>Every hit due before the end is sent, however late, so the count is exactly the plan's.
 *
 * <p>Thread-safety: {@link #cancel()} and the readers are safe from any thread; workers share the
 * hit counter and pool counts (atomics) and the recorder (lock-free).
 */
final class OpenModelRun implements LoadRun {

    private final OpenWorkload workload;
    private final Transport transport;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final ThreadFactory threads;
    private final RunLifecycle life;
    private final AtomicLong nextHit = new AtomicLong();
    private final AtomicInteger workers = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();

    OpenModelRun(OpenWorkload workload, Transport transport, RunRecorder recorder, NanoClock clock,
                 ThreadFactory threads) {
        this.workload = workload;
        this.transport = transport;
        this.recorder = recorder;
        this.clock = clock;
        this.threads = threads;
        this.life = new RunLifecycle(clock, workload.pacer().durationNanos());
    }

    void start() {
        addWorkerIfAllowed();
        life.release();
    }

    private void addWorkerIfAllowed() {
        int current;
        do {
            current = workers.get();
            if (current >= workload.maxConcurrency()) {
                return;
            }
        } while (!workers.compareAndSet(current, current + 1));
        life.spawn(threads, this::work);
    }

    private void work() {
        Pacer pacer = workload.pacer();
        long start = life.startNanos();
        try (TransportSession session = transport.openSession()) {
            while (!life.cancelled()) {
                long dueOffset = pacer.dueNanos(nextHit.getAndIncrement());
                if (dueOffset == Pacer.NEVER) {
                    return;
                }
                long due = start + dueOffset;
                if (clock.nanoTime() > due && workers.get() >= workload.maxConcurrency()) {
                    recorder.requestDelayed();
                }
                clock.parkUntil(due);
                if (busy.incrementAndGet() >= workers.get()) {
                    addWorkerIfAllowed();
                }
                boolean finished = send(session, due);
                busy.decrementAndGet();
                if (!finished) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // cancelled while waiting for a due time: that hit was never sent
        } finally {
            workers.decrementAndGet();
        }
    }

    /** Sends one hit; false when the run is being cancelled and the hit was abandoned. */
    private boolean send(TransportSession session, long due) {
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

    @Override
    public void cancel() {
        life.cancel();
    }

    @Override
    public CompletableFuture<RunEnd> completion() {
        return life.completion();
    }

    @Override
    public long elapsedNanos() {
        return life.elapsedNanos();
    }

    @Override
    public double progress() {
        return life.progress();
    }
}
