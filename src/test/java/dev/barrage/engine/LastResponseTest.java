package dev.barrage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.transport.ErrorKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bytes nobody asked for after a response make it a protocol error, once; the event loops' users keep it as values. */
class LastResponseTest {

    private static final long MS = 1_000_000L;

    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
    private final LastResponse last = new LastResponse(recorder);

    private void ended(int status, ErrorKind error) {
        recorder.requestStarted();
        recorder.requestEnded(0, status, error, 10, 20, 2 * MS);
        last.recorded(0, status, error, 2 * MS);
    }

    private Summary summary() {
        return new RunSampler(recorder).sample(MS, true).summary();
    }

    @Test
    void strayBytesAfterAResponseRetractItOnceAsAProtocolError() {
        ended(200, null);

        last.lastResponseFollowedByStrayBytes();
        last.lastResponseFollowedByStrayBytes(); // more of them on the same connection: still one error

        Summary summary = summary();
        assertThat(summary.requests()).isEqualTo(1);
        assertThat(summary.successes()).isZero();
        assertThat(summary.statusCodes().getOrDefault("200", 0L)).isZero();
        assertThat(summary.errors()).isEqualTo(Map.of("PROTOCOL", 1L));
    }

    @Test
    void strayBytesAfterAFailureOrBeforeAnyResponseChangeNothing() {
        last.lastResponseFollowedByStrayBytes();
        ended(0, ErrorKind.CONNECTION_RESET);

        last.lastResponseFollowedByStrayBytes();

        assertThat(summary().errors()).isEqualTo(Map.of("CONNECTION_RESET", 1L));
    }
}
