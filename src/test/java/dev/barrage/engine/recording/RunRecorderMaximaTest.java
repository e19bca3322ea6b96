package dev.barrage.engine.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.transport.Exchange;
import org.junit.jupiter.api.Test;

/** A recorder reused across loads that do not overlap starts its maxima from 0 again, as a new one would. */
class RunRecorderMaximaTest {

    private static final long MS = 1_000_000;

    private final RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);

    @Test
    void afterResetTheWaitForAConnectionRisesFromZeroAgain() {
        recorder.requestConnectDelayed(30 * MS);

        recorder.resetMaxima();
        assertThat(recorder.maxConnectDelayNanos()).isZero();

        recorder.requestConnectDelayed(2 * MS);
        assertThat(recorder.maxConnectDelayNanos()).isEqualTo(2 * MS);
        assertThat(recorder.totals(0).connectDelayed()).isEqualTo(2); // counts are kept; only the maxima start over
    }

    @Test
    void afterResetTheIntervalsSchedulerLagRisesFromZeroAgain() {
        recorder.requestEnded(Exchange.response(200, 1, 1), 40 * MS, MS, 39 * MS);

        recorder.resetMaxima();
        assertThat(recorder.intervalMaxLagNanos.get()).isZero();

        recorder.requestEnded(Exchange.response(200, 1, 1), 4 * MS, MS, 3 * MS);
        assertThat(recorder.intervalMaxLagNanos.get()).isEqualTo(3 * MS);
    }
}
