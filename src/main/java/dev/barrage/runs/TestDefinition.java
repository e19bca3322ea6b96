package dev.barrage.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A load test as a user submits it (API.md, POST /tests). After {@link #withDefaults()} every optional
 * field is filled in, and that form is what the run reports as its {@code definition}.
 */
public record TestDefinition(
        @Size(max = 200) String name,
        @Size(max = 100) Map<@NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}",
                message = "must be a name of letters, digits and _ (not starting with a digit), used as {{name}}") String,
                @NotNull @Size(max = 8192) String> variables,
        @Valid DataDefinition data,
        @Valid RequestDefinition request,
        @Size(min = 1, max = 50, message = "give from 1 to 50 scenarios") List<@NotNull @Valid ScenarioDefinition> scenarios,
        @NotNull @Valid WorkloadDefinition workload,
        @Size(min = 2, max = 2, message = "must be an inclusive range [from, to] such as [200, 399]")
        List<@NotNull @Min(100) @Max(599) Integer> expectedStatus,
        @Size(max = 50) List<@NotBlank @Size(max = 200) String> thresholds,
        Priority priority,
        Generators generators,
        OnNodeLoss onNodeLoss) {

    static final List<Integer> DEFAULT_EXPECTED_STATUS = List.of(200, 399);

    /** A test on the node that receives it (one generator). */
    public TestDefinition(String name, Map<String, String> variables, DataDefinition data, RequestDefinition request,
                          List<ScenarioDefinition> scenarios, WorkloadDefinition workload, List<Integer> expectedStatus,
                          List<String> thresholds, Priority priority) {
        this(name, variables, data, request, scenarios, workload, expectedStatus, thresholds, priority, null, null);
    }

    /** A single-request test, as before scenarios. */
    public TestDefinition(String name, RequestDefinition request, WorkloadDefinition workload, List<Integer> expectedStatus,
                          List<String> thresholds, Priority priority) {
        this(name, null, null, request, null, workload, expectedStatus, thresholds, priority);
    }

    /** Whether the test is given as scenarios (or uses variables or data), not as one fixed request. */
    public boolean usesScenarios() {
        return scenarios != null || variables != null || data != null
                || (request != null && RequestDefinition.hasTemplates(request));
    }

    /**
     * About what this definition occupies in memory: its text twice over (UTF-16), plus fixed overhead;
     * with scenarios, what each step adds to every timeline point and summary.
     */
    long estimatedBytes() {
        long chars = length(name) + requestChars(request);
        if (variables != null) {
            for (var variable : variables.entrySet()) {
                chars += length(variable.getKey()) + length(variable.getValue()) + 32;
            }
        }
        if (data != null) {
            chars += length(data.csv());
            if (data.rows() != null) {
                for (Map<String, Object> row : data.rows()) {
                    chars += row == null ? 0 : 32L * row.size() + String.valueOf(row).length();
                }
            }
        }
        if (scenarios != null) {
            for (ScenarioDefinition scenario : scenarios) {
                if (scenario == null || scenario.steps() == null) {
                    continue;
                }
                chars += length(scenario.name()) + 64;
                for (StepDefinition step : scenario.steps()) {
                    if (step != null) {
                        chars += length(step.name()) + requestChars(step.request()) + 512
                                + 256L * (size(step.capture()) + size(step.checks()));
                    }
                }
            }
        }
        if (thresholds != null) {
            for (String threshold : thresholds) {
                chars += length(threshold) + 32;
            }
        }
        if (workload != null && workload.stages() != null) {
            chars += 64L * workload.stages().size();
        }
        return 2 * chars + 2048;
    }

    /** Request steps in the scenarios; 0 for a single request (its timeline has no per-step figures). */
    int requestStepCount() {
        if (scenarios == null) {
            return 0;
        }
        int count = 0;
        for (ScenarioDefinition scenario : scenarios) {
            if (scenario != null && scenario.steps() != null) {
                count += (int) scenario.steps().stream().filter(step -> step != null && step.request() != null).count();
            }
        }
        return count;
    }

    private static long requestChars(RequestDefinition request) {
        if (request == null) {
            return 0;
        }
        long chars = length(request.url()) + length(request.body()) + length(request.method());
        if (request.headers() != null) {
            for (var header : request.headers().entrySet()) {
                chars += length(header.getKey()) + length(header.getValue()) + 32;
            }
        }
        return chars;
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    public TestDefinition withDefaults() {
        return withDefaults(RunLimits.DEFAULTS);
    }

    /** The definition with every optional field filled in, within this server's limits. */
    public TestDefinition withDefaults(RunLimits limits) {
        RequestDefinition filledRequest = request == null ? null : request.withDefaults();
        List<ScenarioDefinition> filledScenarios = scenarios == null ? null : scenariosWithDefaults();
        return new TestDefinition(
                name == null || name.isBlank() ? defaultName(filledRequest, filledScenarios) : name,
                variables == null ? null : new LinkedHashMap<>(variables),
                data == null ? null : new DataDefinition(data.csv(), data.rows(),
                        data.order() == null ? DataDefinition.DataOrder.SEQUENCE : data.order()),
                filledRequest,
                filledScenarios,
                workload.withDefaults(limits),
                expectedStatus == null ? DEFAULT_EXPECTED_STATUS : List.copyOf(expectedStatus),
                thresholds == null ? List.of() : List.copyOf(thresholds),
                priority == null ? Priority.NORMAL : priority,
                generators == null ? Generators.ONE : generators,
                onNodeLoss == null ? OnNodeLoss.ABORT : onNodeLoss);
    }

    /** Whether more than one node applies this test (with {@code members} nodes in the cluster). */
    public boolean isDistributed(int members) {
        return generators != null && generators.resolve(members) > 1;
    }

    private static String defaultName(RequestDefinition request, List<ScenarioDefinition> scenarios) {
        if (request != null) {
            return request.method() + " " + request.url();
        }
        return "scenarios " + String.join(", ", scenarios.stream().map(ScenarioDefinition::name).toList());
    }

    private List<ScenarioDefinition> scenariosWithDefaults() {
        List<ScenarioDefinition> filled = new java.util.ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        scenarios.forEach(scenario -> scenario.steps().forEach(step -> {
            if (step.name() != null && !step.name().isBlank()) {
                taken.add(step.name());
            }
        }));
        for (int i = 0; i < scenarios.size(); i++) {
            ScenarioDefinition scenario = scenarios.get(i);
            List<StepDefinition> steps = scenario.steps().stream().map(step -> stepWithDefaults(step, taken)).toList();
            filled.add(new ScenarioDefinition(
                    scenario.name() == null || scenario.name().isBlank() ? "scenario " + (i + 1) : scenario.name(),
                    scenario.weight() == null ? 1 : scenario.weight(), steps));
        }
        return filled;
    }

    /**
     * A step without a name is named by its method and URL path, made unique with " #2", " #3"...
     * Whatever else the step gives is kept, so the compiler can refuse a request with a think, or a
     * think with checks.
     */
    private static StepDefinition stepWithDefaults(StepDefinition step, java.util.Set<String> taken) {
        List<CaptureDefinition> capture = step.capture() == null ? List.of() : List.copyOf(step.capture());
        List<CheckDefinition> checks = step.checks() == null ? List.of() : List.copyOf(step.checks());
        if (step.request() == null) {
            return new StepDefinition(step.name(), null, capture, checks, step.think());
        }
        RequestDefinition request = step.request().withDefaults();
        String name = step.name();
        if (name == null || name.isBlank()) {
            String base = request.method() + " " + RequestDefinition.pathOf(request.url());
            name = base;
            for (int n = 2; !taken.add(name); n++) {
                name = base + " #" + n;
            }
        }
        return new StepDefinition(name, request, capture, checks, step.think());
    }

}
