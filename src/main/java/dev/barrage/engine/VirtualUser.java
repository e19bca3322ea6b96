package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.scenario.UserState;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.util.List;

/**
 * Runs iterations for one closed-model user or open-model worker: one scenario's steps in order,
 * each request sent once over the user's own keep-alive connection to its target (one per target
 * host and port, so a journey over two services does not reconnect on every step), recorded under
 * its step, then its checks and captures. A capture that finds nothing aborts the iteration; the end
 * of the duration or a cancellation interrupts it before its next request.
 *
 * <p>Latency: the open model measures the first request from the iteration's due time and each later
 * one from its own planned start (the previous request's end plus the pause between them), so a
 * stalled target shows in every step it delays; the closed model measures from the send.
 *
 * <p>Thread-safety: confined to the one thread that runs the user.
 */
final class VirtualUser implements AutoCloseable {

    /** What {@link #run} returns when the run was cancelled during the iteration. */
    static final long CANCELLED = Long.MIN_VALUE;

    private final ScenarioPlan plan;
    private final Transport[] transports;
    private final RunRecorder recorder;
    private final NanoClock clock;
    private final UserState state;
    private final TransportSession[] sessions;
    private final LastResponse[] lastResponses;
    private final boolean freshCookiesEachIteration;

    VirtualUser(ScenarioPlan plan, Transport[] transports, RunRecorder recorder, NanoClock clock, int vu,
                boolean freshCookiesEachIteration) {
        this.plan = plan;
        this.transports = transports;
        this.recorder = recorder;
        this.clock = clock;
        this.state = new UserState(plan, vu, 0x9E3779B97F4A7C15L * vu + System.nanoTime());
        this.sessions = new TransportSession[transports.length];
        this.lastResponses = new LastResponse[transports.length];
        this.freshCookiesEachIteration = freshCookiesEachIteration;
    }

    /** Opens the connection the first step of the first scenario needs, ahead of the first iteration. */
    void connect() throws InterruptedException {
        List<Step> steps = plan.scenarios().getFirst().steps();
        for (Step step : steps) {
            if (!step.isThink()) {
                session(step.target()).connect();
                return;
            }
        }
    }

    /**
     * Runs iteration {@code n}.
     *
     * @param dueNanos     when the iteration was due (the open model's planned start; the closed model's
     *                     previous end)
     * @param startedNanos when it actually starts, read by the caller (no request starts past the deadline)
     * @param open         record latency from the planned starts, with service time and scheduler lag
     * @param heldBack     the iteration started late for a counted reason (open model), so its first
     *                     request's lateness is not the generator's own
     * @param deadline     no request starts at or after it: the iteration is interrupted there
     * @param life         read between steps for cancellation
     * @return when the iteration's last request ended (or it stopped), or {@link #CANCELLED}
     */
    long run(long n, long dueNanos, long startedNanos, boolean open, boolean heldBack, long deadline, RunLifecycle life) {
        Scenario scenario = state.startIteration(n, freshCookiesEachIteration);
        recorder.iterationStarted();
        List<Step> steps = scenario.steps();
        long planned = dueNanos;
        long now = startedNanos;
        boolean waits = false; // only a pause makes a request wait for its planned start
        boolean first = true;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.isThink()) {
                planned += step.thinkNanos();
                waits = true;
                continue;
            }
            if (life.cancelled()) {
                recorder.iterationInterrupted();
                return CANCELLED;
            }
            long sent = now;
            if (waits) {
                try {
                    clock.parkUntil(planned);
                } catch (InterruptedException e) {
                    recorder.iterationInterrupted();
                    return CANCELLED;
                }
                sent = clock.nanoTime();
            }
            if (sent - deadline >= 0) {
                recorder.iterationInterrupted();
                return sent;
            }
            boolean own = step.sendsSessionRequest();
            if (!own && !state.prepare(step)) {
                recorder.iterationAborted(); // cannot happen for a validated plan: captures are made before use
                return sent;
            }
            TransportSession session = session(step.target());
            recorder.requestStarted();
            Exchange exchange;
            try {
                exchange = own ? session.execute() : session.execute(state.requestBytes(), state.requestLength(),
                        step.timeoutNanos(), step.head(), state.listenerFor(step));
            } catch (InterruptedException e) {
                recorder.requestAborted();
                recorder.iterationInterrupted();
                return CANCELLED;
            }
            long ended = clock.nanoTime();
            long latency;
            if (open) {
                latency = ended - planned;
                long lag = first && heldBack ? 0 : sent - planned;
                recorder.requestEnded(step.index(), exchange, latency, ended - sent, lag);
            } else {
                latency = ended - sent;
                recorder.requestEnded(step.index(), exchange, latency);
            }
            lastResponses[step.target()].recorded(step.index(), exchange, latency);
            first = false;
            now = ended;
            planned = ended;
            waits = false;
            if (!state.judge(step, exchange, latency, recorder)) {
                recorder.iterationAborted();
                return now;
            }
        }
        if (waits) { // a closing pause still holds the user before its next iteration
            try {
                clock.parkUntil(planned - deadline < 0 ? planned : deadline);
            } catch (InterruptedException e) {
                recorder.iterationCompleted(); // every request of it was sent and counted
                return CANCELLED;
            }
            now = clock.nanoTime();
        }
        recorder.iterationCompleted();
        return now;
    }

    private TransportSession session(int target) {
        TransportSession session = sessions[target];
        if (session == null) {
            lastResponses[target] = new LastResponse(recorder);
            session = sessions[target] = transports[target].openSession(lastResponses[target]);
        }
        return session;
    }

    @Override
    public void close() {
        for (TransportSession session : sessions) {
            if (session != null) {
                session.close();
            }
        }
    }
}
