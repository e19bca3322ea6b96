package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.LoopUser;

/**
 * What the event-loop users of both models count alike: an exchange abandoned by a cancel (not a
 * request: aborted, and its iteration interrupted), and bytes nobody asked for after the last
 * response, charged to that response.
 *
 * <p>Thread-safety: confined to its loop's thread, as every {@link LoopUser}; the recorder is lock-free.
 */
abstract class CountingLoopUser implements LoopUser {

    final RunRecorder recorder;
    final LastResponse lastResponse;

    CountingLoopUser(RunRecorder recorder) {
        this.recorder = recorder;
        this.lastResponse = new LastResponse(recorder);
    }

    @Override
    public final void exchangeAbandoned() {
        recorder.requestAborted();
        recorder.iterationInterrupted();
    }

    @Override
    public final void lastResponseFollowedByStrayBytes() {
        lastResponse.lastResponseFollowedByStrayBytes();
    }
}
