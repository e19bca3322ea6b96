package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.OpenWorkload;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Stages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlansTest {

    private static final long S = 1_000_000_000L;

    @Test
    void rampUpIsOneRampStageBeforeTheSteadyPart() {
        WorkloadDefinition closed = new WorkloadDefinition(WorkloadModel.CLOSED, 10, null, Duration.ofSeconds(20),
                Duration.ofSeconds(5), null, null).withDefaults(RunLimits.DEFAULTS);

        Stages users = ((ClosedWorkload) Plans.workloadOf(closed)).users();

        assertThat(users.durationNanos()).isEqualTo(25 * S);
        assertThat(users.valueAt(0)).isZero();
        assertThat(users.valueAt(2500_000_000L)).isEqualTo(5.0);
        assertThat(users.valueAt(5 * S)).isEqualTo(10.0);
        assertThat(users.valueAt(24 * S)).isEqualTo(10.0);
    }

    @Test
    void anOpenRampUpRampsTheRate() {
        WorkloadDefinition open = new WorkloadDefinition(WorkloadModel.OPEN, null, 100.0, Duration.ofSeconds(10),
                Duration.ofSeconds(10), null, null).withDefaults(RunLimits.DEFAULTS);

        OpenWorkload workload = (OpenWorkload) Plans.workloadOf(open);

        assertThat(workload.maxConcurrency()).isEqualTo(10_000);
        assertThat(workload.pacer().durationNanos()).isEqualTo(20 * S);
        assertThat(workload.pacer().totalHits()).isEqualTo(500 + 1000);
    }

    @Test
    void withoutRampUpOrStagesTheRateIsConstant() {
        WorkloadDefinition open = new WorkloadDefinition(WorkloadModel.OPEN, null, 250.0, Duration.ofSeconds(4),
                null, 50, null).withDefaults(RunLimits.DEFAULTS);

        OpenWorkload workload = (OpenWorkload) Plans.workloadOf(open);

        assertThat(workload.pacer()).isEqualTo(new ConstantRate(250.0, 4 * S));
        assertThat(workload.maxConcurrency()).isEqualTo(50);
        assertThat(Plans.openPlanOf(workload).plannedHitsBefore().applyAsDouble(4 * S)).isEqualTo(1000.0);
    }

    @Test
    void stagesAreTakenAsGiven() {
        WorkloadDefinition closed = new WorkloadDefinition(WorkloadModel.CLOSED, null, null, null, null, null,
                List.of(new WorkloadDefinition.Stage(Duration.ofSeconds(10), 20.0),
                        new WorkloadDefinition.Stage(Duration.ofSeconds(5), 0.0))).withDefaults(RunLimits.DEFAULTS);

        ClosedWorkload workload = (ClosedWorkload) Plans.workloadOf(closed);

        assertThat(workload.users().durationNanos()).isEqualTo(15 * S);
        assertThat(workload.peakUsers()).isEqualTo(20);
        assertThat(Plans.openPlanOf(workload)).isNull();
    }
}
