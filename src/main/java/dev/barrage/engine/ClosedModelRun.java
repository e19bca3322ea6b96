package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The closed model: a fixed number of virtual users, each on its own thread with its own connection,
 * sending, awaiting the whole response, recording and looping until the duration is over. A user
 * whose request is in flight when the duration ends finishes and records it, so every request the
 * target saw is counted; cancellation interrupts them instead.
 *
 * <p>Thread-safety: created and started by one thread; {@link #cancel()} and the readers are safe
 * from any thread. Workers share only the recorder (lock-free) and volatile flags.
 */
final class ClosedModelRun implements LoadRun {

    private final ClosedWorkload workload;
    private final Transport transport;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final long startNanos;
    private final long deadlineNanos;
    private final List<Thread> users;
    private final AtomicInteger running;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<RunEnd> completion = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile long endNanos = -1;

    ClosedModelRun(ClosedWorkload workload, Transport transport, RunRecorder recorder, NanoClock clock,
                   ThreadFactory userThreads) {
        this.workload = workload;
        this.transport = transport;
        this.recorder = recorder;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.deadlineNanos = startNanos + workload.duration().toNanos();
        this.running = new AtomicInteger(workload.concurrency());
        this.users = new ArrayList<>(workload.concurrency());
        for (int i = 0; i < workload.concurrency(); i++) {
            users.add(userThreads.newThread(this::runUser));
        }
    }

    void start() {
        for (Thread user : users) {
            user.start();
        }
    }

    private void runUser() {
        try (TransportSession session = transport.openSession()) {
            long now = clock.nanoTime();
            while (!cancelled && now < deadlineNanos) {
                recorder.requestStarted();
                Exchange exchange;
                try {
                    exchange = session.execute();
                } catch (InterruptedException e) {
                    recorder.requestAborted();
                    return;
                }
                long ended = clock.nanoTime();
                recorder.requestEnded(exchange, ended - now);
                now = ended;
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            cancel();
        } finally {
            if (running.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    private void finish() {
        endNanos = clock.nanoTime();
        Throwable failed = failure.get();
        RunEnd.Outcome outcome = failed != null ? RunEnd.Outcome.FAILED
                : cancelled ? RunEnd.Outcome.CANCELLED : RunEnd.Outcome.COMPLETED;
        completion.complete(new RunEnd(outcome, endNanos - startNanos, failed));
    }

    @Override
    public void cancel() {
        if (cancelled || completion.isDone()) {
            return;
        }
        cancelled = true;
        for (Thread user : users) {
            user.interrupt();
        }
    }

    @Override
    public CompletableFuture<RunEnd> completion() {
        return completion;
    }

    @Override
    public long elapsedNanos() {
        long end = endNanos;
        return (end >= 0 ? end : clock.nanoTime()) - startNanos;
    }

    @Override
    public double progress() {
        if (completion.isDone()) {
            return 1.0;
        }
        return Math.min(1.0, (double) elapsedNanos() / workload.duration().toNanos());
    }
}
