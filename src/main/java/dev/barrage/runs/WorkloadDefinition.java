package dev.barrage.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/** How load is applied (API.md {@code workload}); which fields are required depends on the model. */
public record WorkloadDefinition(
        WorkloadModel model,
        @Min(1) @Max(10_000) Integer concurrency,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("100000") Double rate,
        @DurationBetween(min = "1s", max = "1h") Duration duration,
        @DurationBetween(min = "0s", max = "1h") Duration rampUp,
        @Min(1) @Max(10_000) Integer maxConcurrency,
        @Size(min = 1, max = 100) List<@NotNull @Valid Stage> stages) {

    static final Integer DEFAULT_MAX_CONCURRENCY = 10_000;

    /** One linear ramp from the previous stage's target (0 for the first) to {@code target}. */
    public record Stage(
            @NotNull @DurationBetween(min = "1ms", max = "1h") Duration duration,
            @NotNull @DecimalMin("0") @DecimalMax("1000000") Double target) {
    }

    /** How long the plan applies load: the stages' sum, or rampUp plus duration. */
    Duration totalDuration() {
        if (stages != null) {
            return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
        }
        return (duration == null ? Duration.ZERO : duration).plus(rampUp == null ? Duration.ZERO : rampUp);
    }

    WorkloadDefinition withDefaults(RunLimits limits) {
        WorkloadModel filledModel = model == null ? WorkloadModel.CLOSED : model;
        return new WorkloadDefinition(
                filledModel,
                concurrency,
                rate,
                duration,
                rampUp == null && stages == null ? Duration.ZERO : rampUp,
                filledModel == WorkloadModel.OPEN && maxConcurrency == null
                        ? Integer.valueOf(Math.min(DEFAULT_MAX_CONCURRENCY, limits.maxConcurrency())) : maxConcurrency,
                stages == null ? null : List.copyOf(stages));
    }
}
