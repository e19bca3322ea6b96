package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.EventLoop;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.LoopUser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadFactory;

/**
 * The closed model of a single-request test over plain http, on event loops instead of a thread per
 * user: each virtual user is a {@link LoopUser}, a state machine that an {@link EventLoop} (one per
 * CPU the JVM sees) runs, so a user waiting for its response holds no thread and no stack. What the
 * users do is what {@link ClosedModelRun}'s do with the same test: requests back to back over the
 * user's keep-alive connection, latency from the send, iterations counted the same way, users added
 * and retired by the same controller, no request started at or after the end of the duration, every
 * request in flight then awaited and counted, cancellation abandoning them uncounted.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread; the user list is confined to
 * the controller thread; each user is confined to its loop's thread, except its volatile
 * {@code retired} flag; users share the recorder (lock-free).
 */
final class EventLoopClosedRun {

    private final ClosedWorkload workload;
    private final ExecutionSegment segment;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final ThreadFactory threads;
    private final RunLifecycle life;
    private final EventLoop[] loops;
    private final Deque<User> users = new ArrayDeque<>();
    private int usersStarted;

    EventLoopClosedRun(ClosedWorkload workload, ExecutionSegment segment, Http1Transport transport, RunRecorder recorder,
                       NanoClock clock, ThreadFactory threads) {
        this.workload = workload;
        this.segment = segment;
        this.recorder = recorder;
        this.clock = clock;
        this.threads = threads;
        this.life = new RunLifecycle(clock, workload.users().durationNanos());
        this.loops = new EventLoop[Runtime.getRuntime().availableProcessors()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(transport);
        }
    }

    /** Starts the load; the returned handle follows, cancels and awaits it. */
    LoadRun start() {
        for (EventLoop loop : loops) {
            life.spawn(EventLoops.THREADS, loop);
        }
        life.spawn(threads, this::control);
        life.release();
        return life;
    }

    private void control() {
        try {
            ClosedController.follow(workload, segment, life, recorder, clock, this::adjustUsers);
        } catch (InterruptedException e) {
            // cancelled: the loops abandon what is in flight
        } finally {
            for (EventLoop loop : loops) {
                loop.finish();
            }
        }
    }

    private void adjustUsers(int wanted) {
        while (users.size() < wanted) {
            User user = new User();
            users.push(user);
            loops[usersStarted++ % loops.length].add(user);
        }
        while (users.size() > wanted) {
            users.pop().retired = true;
        }
    }

    private final class User extends CountingLoopUser {

        private static final long NOT_YET = Long.MIN_VALUE;

        private final long deadline = life.deadlineNanos();
        private volatile boolean retired;
        private long sent;
        private long lastEnded = NOT_YET;

        User() {
            super(EventLoopClosedRun.this.recorder);
        }

        @Override
        public Next nextRequest() {
            long now = lastEnded == NOT_YET ? clock.nanoTime() : lastEnded; // back to back: the next is sent as the last ends
            if (life.cancelled() || retired || now - deadline >= 0) {
                return Next.END;
            }
            recorder.iterationStarted();
            recorder.requestStarted();
            sent = now;
            return Next.SEND;
        }

        @Override
        public void exchangeEnded(int status, ErrorKind error, long bytesSent, long bytesReceived) {
            long ended = clock.nanoTime();
            long latency = ended - sent;
            recorder.requestEnded(0, status, error, bytesSent, bytesReceived, latency);
            lastResponse.recorded(0, status, error, latency);
            recorder.iterationCompleted();
            lastEnded = ended;
        }

    }
}
