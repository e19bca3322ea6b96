package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Transport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closed model: virtual users, each on its own thread with its own connections, running
 * iterations back to back (a single-request test's iteration is its one request). Iterations are
 * numbered across all users from one counter, so the weighted scenarios interleave over the run
 * exactly as in the open model. A controller adds users as the target
 * rises and retires the newest as it falls (a retired user finishes its iteration first). When the
 * duration ends no new request starts; a request in flight finishes and is counted, so every
 * request the target saw is in the summary. Cancellation interrupts them instead.
 *
 * <p>Thread-safety: the {@link LoadRun} handle is safe from any thread; the user list is
 * confined to the controller thread; users share only the recorder (lock-free) and volatile flags.
 */
final class ClosedModelRun {

    private final ClosedWorkload workload;
    private final ExecutionSegment segment;
    private final ScenarioPlan plan;
    private final Transport[] transports;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final ThreadFactory threads;
    private final RunLifecycle life;
    private final Deque<User> users = new ArrayDeque<>();
    private final AtomicLong iterations = new AtomicLong();
    private int usersStarted;

    ClosedModelRun(ClosedWorkload workload, ExecutionSegment segment, ScenarioPlan plan, Transport[] transports,
                   RunRecorder recorder, NanoClock clock, ThreadFactory threads) {
        this.workload = workload;
        this.segment = segment;
        this.plan = plan;
        this.transports = transports;
        this.recorder = recorder;
        this.clock = clock;
        this.threads = threads;
        this.life = new RunLifecycle(clock, workload.users().durationNanos());
    }

    /** Starts the load; the returned handle follows, cancels and awaits it. */
    LoadRun start() {
        life.spawn(threads, this::control);
        life.release();
        return life;
    }

    private void control() {
        try {
            ClosedController.follow(workload, segment, life, recorder, clock, this::adjustUsers);
        } catch (InterruptedException e) {
            // cancelled: the users are interrupted too
        }
    }

    private void adjustUsers(int wanted) {
        while (users.size() < wanted) {
            User user = new User(1 + (int) segment.nthOwned(usersStarted++)); // numbered as in the whole plan
            users.push(user);
            life.spawn(threads, user::run);
        }
        while (users.size() > wanted) {
            users.pop().retired = true;
        }
    }

    private final class User {

        private final int number;
        private volatile boolean retired;

        User(int number) {
            this.number = number;
        }

        void run() {
            long deadline = life.deadlineNanos();
            try (VirtualUser user = new VirtualUser(plan, transports, recorder, clock, number, false)) {
                long now = clock.nanoTime();
                while (!life.cancelled() && !retired && now - deadline < 0) {
                    now = user.run(segment.nthOwned(iterations.getAndIncrement()), now, now, false, false, deadline, life);
                    if (now == VirtualUser.CANCELLED) {
                        return;
                    }
                }
            }
        }
    }
}
