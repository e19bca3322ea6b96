package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.barrage.engine.CarrierBacklog;
import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Pacer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The warm-up on the real engine against its loopback responder: it sends load, and a stop cuts a slice short. */
class EngineWarmupTest {

    @Test
    void aStopCancelsTheSliceUnderWayInsteadOfLettingItRunOut() throws Exception {
        // slices of 20 s: without the stop reaching into the slice, the warm-up would last 20 s
        EngineWarmup.Settings settings = new EngineWarmup.Settings(Duration.ofSeconds(60), Duration.ofSeconds(20),
                0.02, 500, 4, 0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.set(true);
        });

        EngineWarmup.Result result = EngineWarmup.run(new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.ofJvm()), settings, stop::get);

        assertThat(result.stopped()).isTrue();
        assertThat(result.quiet()).isFalse();
        assertThat(result.slices()).isEqualTo(1);
        assertThat(result.requests()).isPositive();
        assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void withoutAStopItRunsSlicesOfBothModelsUntilQuietOrItsLimit() throws Exception {
        EngineWarmup.Settings settings = new EngineWarmup.Settings(Duration.ofMillis(1500), Duration.ofMillis(250),
                0.02, 500, 4, 0);

        EngineWarmup.Result result = EngineWarmup.run(new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.ofJvm()), settings, () -> false);

        assertThat(result.stopped()).isFalse();
        assertThat(result.slices()).isGreaterThanOrEqualTo(2); // a round of both models at least, quiet or not
        assertThat(result.requests()).isPositive();
        assertThat(result.elapsed()).isLessThanOrEqualTo(Duration.ofMillis(1500).plusSeconds(5));
    }

    @Test
    void everyOtherSliceOfEachModelRampsFromZeroToTwiceItsLoadSendingAsMuchOverTheSlice() {
        long slice = 500_000_000L;

        assertThat(EngineWarmup.openPacer(20_000, slice, 0)).isEqualTo(new ConstantRate(20_000, slice));
        Pacer ramp = EngineWarmup.openPacer(20_000, slice, 1);
        assertThat(ramp.rateAt(0)).isZero();
        assertThat(ramp.rateAt(slice - 1_000)).isCloseTo(40_000.0, within(1.0));
        assertThat(ramp.hitsBefore(slice)).isEqualTo(10_000.0); // as many as the constant slice
        assertThat(EngineWarmup.openPacer(20_000, slice, 2)).isInstanceOf(ConstantRate.class);

        assertThat(EngineWarmup.closedWorkload(32, slice, 0).users().valueAt(slice / 2)).isEqualTo(32.0);
        ClosedWorkload rampedUsers = EngineWarmup.closedWorkload(32, slice, 1);
        assertThat(rampedUsers.users().valueAt(0)).isZero();
        assertThat(rampedUsers.peakUsers()).isEqualTo(64);
    }

    @Test
    void aFloorOfRequestsItCannotReachKeepsItGoingToItsLimitHoweverQuietTheJit() throws Exception {
        // 500/s open and 4 users against the responder cannot send 10 million requests a model in 1.5 s
        EngineWarmup.Settings settings = new EngineWarmup.Settings(Duration.ofMillis(1500), Duration.ofMillis(250),
                1.0, 500, 4, 10_000_000);

        EngineWarmup.Result result = EngineWarmup.run(new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.ofJvm()), settings, () -> false);

        assertThat(result.quiet()).isFalse();
        assertThat(result.stopped()).isFalse();
        assertThat(result.requests()).isPositive();
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
}
