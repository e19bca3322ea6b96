package dev.barrage.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code barrage.*}.
 *
 * @param aggregationThreads platform threads of the aggregation (CPU) lane, apart from the request workers
 * @param shutdownWait       how long shutdown waits for cancelled runs to record their final results
 */
@ConfigurationProperties("barrage")
@Validated
public record BarrageProperties(
        @DefaultValue("1") @Min(1) @Max(16) int aggregationThreads,
        @DefaultValue("5s") Duration shutdownWait,
        @DefaultValue @Valid Limits limits) {

    /** @param retention finished runs kept in memory; the oldest are evicted with their metric series */
    public record Limits(@DefaultValue("1000") @Min(1) int retention) {
    }
}
