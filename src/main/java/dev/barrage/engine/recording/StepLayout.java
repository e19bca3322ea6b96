package dev.barrage.engine.recording;

import dev.barrage.engine.scenario.Capture;
import dev.barrage.engine.scenario.Check;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run's figures are grouped for its summary: the request steps by index, which scenario
 * each belongs to, and each check's name and step. Immutable.
 *
 * @param scenarioSteps per scenario, the indexes of its request steps
 * @param checkStep     per check, the index of its step
 */
public record StepLayout(List<String> steps, List<String> scenarios, List<int[]> scenarioSteps,
                         List<String> checks, int[] checkStep) {

    /** A single-request run: one step, one scenario, no checks. */
    public static final StepLayout SINGLE = new StepLayout(List.of(ScenarioPlan.SINGLE_STEP), List.of(ScenarioPlan.SINGLE_SCENARIO),
            List.of(new int[] {0}), List.of(), new int[0]);

    public static StepLayout of(ScenarioPlan plan) {
        List<String> steps = plan.requestSteps().stream().map(Step::name).toList();
        List<String> scenarios = new ArrayList<>();
        List<int[]> scenarioSteps = new ArrayList<>();
        int[] checkStep = new int[plan.checkNames().size()];
        for (Scenario scenario : plan.scenarios()) {
            scenarios.add(scenario.name());
            scenarioSteps.add(scenario.steps().stream().filter(step -> !step.isThink()).mapToInt(Step::index).toArray());
            for (Step step : scenario.steps()) {
                for (Check check : step.checks()) {
                    checkStep[check.index()] = step.index();
                }
                for (Capture capture : step.captures()) {
                    checkStep[capture.check()] = step.index();
                }
            }
        }
        return new StepLayout(steps, scenarios, scenarioSteps, plan.checkNames(), checkStep);
    }
}
