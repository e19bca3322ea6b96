package dev.barrage.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/**
 * One step of a scenario: a {@code request} with optional {@code capture} and {@code checks}, or a
 * {@code think} pause alone.
 */
public record StepDefinition(
        @Size(max = 200) String name,
        @Valid RequestDefinition request,
        @Size(max = 20) List<@jakarta.validation.constraints.NotNull @Valid CaptureDefinition> capture,
        @Size(max = 50) List<@jakarta.validation.constraints.NotNull @Valid CheckDefinition> checks,
        @DurationBetween(min = "1ms", max = "1h") Duration think) {
}
