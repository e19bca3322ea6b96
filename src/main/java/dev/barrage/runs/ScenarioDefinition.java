package dev.barrage.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A weighted journey (API.md "Scenarios"): its steps run in order in each iteration that picks it. */
public record ScenarioDefinition(
        @Size(max = 200) String name,
        @Min(value = 1, message = "must be a whole number from 1 to 1000 (the scenario's share of iterations)")
        @Max(value = 1000, message = "must be a whole number from 1 to 1000 (the scenario's share of iterations)")
        Integer weight,
        @NotNull @Size(min = 1, max = 100, message = "a scenario needs from 1 to 100 steps")
        List<@NotNull @Valid StepDefinition> steps) {
}
