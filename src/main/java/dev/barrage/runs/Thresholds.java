package dev.barrage.runs;

import dev.barrage.engine.recording.StepLayout;
import java.util.ArrayList;
import java.util.List;

/** Checks what thresholds name against the test they judge. Stateless. */
final class Thresholds {

    private Thresholds() {
    }

    /**
     * @param thresholds already known to parse
     * @throws InvalidDefinitionException when a filter names a step or scenario the test does not have
     */
    static void checkNames(List<String> thresholds, StepLayout layout) {
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < thresholds.size(); i++) {
            Threshold threshold = Threshold.parse(thresholds.get(i));
            if (threshold.filterKind() == null) {
                continue;
            }
            List<String> names = threshold.filterKind().equals("step") ? layout.steps() : layout.scenarios();
            if (!names.contains(threshold.filterName())) {
                problems.add(new FieldProblem("thresholds[" + i + "]", "the test has no " + threshold.filterKind() + " named '"
                        + threshold.filterName() + "'; its " + threshold.filterKind() + "s are " + names));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }
}
