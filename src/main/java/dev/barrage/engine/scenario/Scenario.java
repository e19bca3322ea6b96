package dev.barrage.engine.scenario;

import java.util.List;

/** A named journey: its steps run in order in each iteration that picks it. Immutable. */
public record Scenario(String name, List<Step> steps) {

    public Scenario {
        steps = List.copyOf(steps);
    }
}
