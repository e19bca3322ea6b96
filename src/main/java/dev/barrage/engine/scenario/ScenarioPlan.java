package dev.barrage.engine.scenario;

import java.util.List;

/**
 * Everything a test sends, compiled once at submission: the scenarios with their weights, the data,
 * how many captures a virtual user keeps, and how the request steps and checks are numbered for
 * recording. A single-request test is one scenario of one literal step.
 *
 * <p>Thread-safety: immutable; shared by every virtual user of the run.
 *
 * @param targets      the distinct targets (scheme, host, port and connection options) the steps use,
 *                     one transport each, in the order of their indexes
 * @param requestSteps the request steps of all scenarios, by {@link Step#index()}
 * @param checkNames   every check and capture, by index ("status 200-299", "capture token"); summaries prefix the step: "login: capture token"
 * @param cookies      whether virtual users keep the cookies the targets set
 * @param maxBodyBytes how much of a response body a step that reads it keeps
 */
public record ScenarioPlan(List<Scenario> scenarios, WeightedCycle cycle, DataTable data, int captureCount,
                           List<Step> requestSteps, List<String> checkNames, int targets, boolean cookies,
                           int maxBodyBytes) {

    /** The single-request form's step and scenario, as summaries and metrics name them. */
    public static final String SINGLE_STEP = "request";
    public static final String SINGLE_SCENARIO = "default";

    public ScenarioPlan {
        scenarios = List.copyOf(scenarios);
        requestSteps = List.copyOf(requestSteps);
        checkNames = List.copyOf(checkNames);
    }

    /**
     * The plan of a single-request test: one step that sends the session's own request (encoded once
     * by its transport), no data, no checks, no cookies.
     */
    public static ScenarioPlan single() {
        Step step = new Step(SINGLE_STEP, 0, 0, null, 0, false, List.of(), List.of(), 0, false, new String[0], new byte[0][]);
        return new ScenarioPlan(List.of(new Scenario(SINGLE_SCENARIO, List.of(step))), new WeightedCycle(1), null, 0,
                List.of(step), List.of(), 1, false, 0);
    }
}
