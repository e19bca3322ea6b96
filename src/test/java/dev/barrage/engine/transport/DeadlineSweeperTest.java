package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeadlineSweeperTest {

    @ParameterizedTest(name = "shortest timeout {0} ms: a sweep every {1} ms")
    @CsvSource({
            "1, 10",          // never finer than 10 ms
            "100, 10",
            "1000, 10",       // up to 1 s: 10 ms, as before the period followed the timeouts
            "2000, 20",       // 1 % of the timeout between
            "3500, 35",
            "5000, 50",       // the default timeout
            "60000, 50",      // never coarser than 50 ms
    })
    void theSweepPeriodIsOnePercentOfTheShortestTimeoutWithinItsBounds(long timeoutMs, long periodMs) {
        assertThat(DeadlineSweeper.periodFor(timeoutMs * 1_000_000)).isEqualTo(periodMs * 1_000_000);
    }

    @Test
    void withNoRequestSinceTheLastResetTheSweeperWakesAtTheLongestPeriod() {
        assertThat(DeadlineSweeper.periodFor(Long.MAX_VALUE)).isEqualTo(DeadlineSweeper.MAX_PERIOD_NANOS);
    }
}
