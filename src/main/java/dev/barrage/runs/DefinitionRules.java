package dev.barrage.runs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules that span several fields, checked after Bean Validation has passed field by field.
 * Stateless.
 */
final class DefinitionRules {

    static final double MAX_RATE = 100_000;
    static final int MAX_USERS = 10_000;
    private static final Duration MAX_TOTAL = Duration.ofHours(1);
    private static final Set<String> TRANSPORT_OWNED_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    private DefinitionRules() {
    }

    static void check(TestDefinition definition) {
        check(definition, RunLimits.DEFAULTS);
    }

    static void check(TestDefinition definition, RunLimits limits) {
        List<FieldProblem> problems = new ArrayList<>();
        // first, and alone: no later message may echo text that cannot be written as valid JSON
        checkUnicode(definition, problems);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        if ((definition.request() == null) == (definition.scenarios() == null)) {
            problems.add(new FieldProblem(definition.request() == null ? "request" : "scenarios",
                    "give a request (one request, sent over and over) or scenarios (journeys of several steps), one of the two"));
        }
        if (definition.request() != null) {
            checkRequest(definition.request(), problems);
        }
        checkWorkload(definition.workload(), problems);
        if (problems.isEmpty()) {
            checkLimits(definition.workload(), limits, problems);
        }
        List<Integer> expected = definition.expectedStatus();
        if (expected != null && expected.size() == 2 && expected.get(0) != null && expected.get(1) != null
                && expected.get(0) > expected.get(1)) {
            problems.add(new FieldProblem("expectedStatus", "from must not be greater than to, such as [200, 399]"));
        }
        List<String> thresholds = definition.thresholds() == null ? List.of() : definition.thresholds();
        for (int i = 0; i < thresholds.size(); i++) {
            try {
                if (thresholds.get(i) != null) {
                    Threshold.parse(thresholds.get(i));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("thresholds[" + i + "]", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }

    /**
     * A JSON string may spell a lone UTF-16 surrogate (the escape for d800 alone); kept, it would make every
     * later answer that shows it unreadable to strict JSON parsers.
     */
    private static void checkUnicode(TestDefinition definition, List<FieldProblem> problems) {
        wellFormed("name", definition.name(), problems);
        RequestDefinition request = definition.request();
        if (request != null) {
            wellFormed("request.url", request.url(), problems);
            wellFormed("request.method", request.method(), problems);
            wellFormed("request.body", request.body(), problems);
            if (request.headers() != null) {
                request.headers().forEach((name, value) -> {
                    wellFormed("request.headers", name, problems);
                    wellFormed("request.headers[" + name + "]", value, problems);
                });
            }
        }
        List<String> thresholds = definition.thresholds() == null ? List.of() : definition.thresholds();
        for (int i = 0; i < thresholds.size(); i++) {
            wellFormed("thresholds[" + i + "]", thresholds.get(i), problems);
        }
        if (definition.variables() != null) {
            definition.variables().forEach((name, value) -> {
                wellFormed("variables", name, problems);
                wellFormed("variables." + name, value, problems);
            });
        }
        if (definition.data() != null) {
            wellFormed("data.csv", definition.data().csv(), problems);
            if (definition.data().rows() != null) {
                wellFormed("data.rows", String.valueOf(definition.data().rows()), problems);
            }
        }
        List<ScenarioDefinition> scenarios = definition.scenarios() == null ? List.of() : definition.scenarios();
        for (int s = 0; s < scenarios.size(); s++) {
            ScenarioDefinition scenario = scenarios.get(s);
            String field = "scenarios[" + s + "]";
            wellFormed(field + ".name", scenario.name(), problems);
            List<StepDefinition> steps = scenario.steps() == null ? List.of() : scenario.steps();
            for (int k = 0; k < steps.size(); k++) {
                StepDefinition step = steps.get(k);
                String stepField = field + ".steps[" + k + "]";
                wellFormed(stepField + ".name", step.name(), problems);
                wellFormed(stepField + ".request", requestText(step.request()), problems);
                wellFormed(stepField + ".capture", String.valueOf(step.capture()), problems);
                wellFormed(stepField + ".checks", String.valueOf(step.checks()), problems);
            }
        }
    }

    private static String requestText(RequestDefinition request) {
        return request == null ? null : request.method() + request.url() + request.body() + request.headers();
    }

    private static void wellFormed(String field, String text, List<FieldProblem> problems) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                problems.add(new FieldProblem(field, String.format(Locale.ROOT,
                        "contains a lone UTF-16 surrogate (\\u%04x at character %d): send valid Unicode text", (int) c, i)));
                return;
            }
        }
    }

    private static void checkRequest(RequestDefinition request, List<FieldProblem> problems) {
        if (request.headers() != null) {
            for (String name : request.headers().keySet()) {
                if (TRANSPORT_OWNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    problems.add(new FieldProblem("request.headers[" + name + "]",
                            "is set by Barrage from the body and keepAlive; remove it"));
                }
            }
        }
        if (request.body() != null && "HEAD".equalsIgnoreCase(request.method())) {
            problems.add(new FieldProblem("request.body", "a HEAD request cannot carry a body"));
        }
    }

    private static void checkWorkload(WorkloadDefinition workload, List<FieldProblem> problems) {
        boolean open = workload.model() == WorkloadModel.OPEN;
        String level = open ? "rate" : "concurrency";
        if (workload.stages() != null) {
            for (String field : List.of("concurrency", "rate", "duration", "rampUp")) {
                if (isSet(workload, field)) {
                    problems.add(new FieldProblem("workload." + field,
                            "cannot be combined with stages: the stages give the " + level + " and the total duration"));
                }
            }
            checkStages(workload, open, problems);
        } else {
            if (open ? workload.rate() == null : workload.concurrency() == null) {
                problems.add(new FieldProblem("workload." + level, open
                        ? "is required for the open model: requests per second (or give stages)"
                        : "is required for the closed model: the number of virtual users (or give stages)"));
            }
            if (workload.duration() == null) {
                problems.add(new FieldProblem("workload.duration", "is required, such as \"30s\" (or give stages)"));
            } else if (workload.rampUp() != null && workload.rampUp().plus(workload.duration()).compareTo(MAX_TOTAL) > 0) {
                problems.add(new FieldProblem("workload.rampUp", "rampUp plus duration must not exceed 1h"));
            }
        }
        if (open && workload.concurrency() != null) {
            problems.add(new FieldProblem("workload.concurrency",
                    "applies to the closed model; the open model takes rate, and maxConcurrency caps requests in flight"));
        }
        if (!open && workload.rate() != null) {
            problems.add(new FieldProblem("workload.rate", "applies to the open model; the closed model takes concurrency"));
        }
        if (!open && workload.maxConcurrency() != null) {
            problems.add(new FieldProblem("workload.maxConcurrency", "applies to the open model; the closed model takes concurrency"));
        }
    }

    /** The server's own limits, stricter than or equal to the API's; each message names its setting. */
    private static void checkLimits(WorkloadDefinition workload, RunLimits limits, List<FieldProblem> problems) {
        boolean open = workload.model() == WorkloadModel.OPEN;
        if (workload.concurrency() != null && workload.concurrency() > limits.maxConcurrency()) {
            problems.add(overLimit("workload.concurrency", limits.maxConcurrency(), "max-concurrency"));
        }
        if (workload.maxConcurrency() != null && workload.maxConcurrency() > limits.maxConcurrency()) {
            problems.add(overLimit("workload.maxConcurrency", limits.maxConcurrency(), "max-concurrency"));
        }
        if (workload.rate() != null && workload.rate() > limits.maxRate()) {
            problems.add(overLimit("workload.rate", limits.maxRate(), "max-rate"));
        }
        if (workload.stages() != null) {
            for (int i = 0; i < workload.stages().size(); i++) {
                double target = workload.stages().get(i).target();
                if (open ? target > limits.maxRate() : target > limits.maxConcurrency()) {
                    problems.add(open ? overLimit("workload.stages[" + i + "].target", limits.maxRate(), "max-rate")
                            : overLimit("workload.stages[" + i + "].target", limits.maxConcurrency(), "max-concurrency"));
                }
            }
        }
        if (workload.totalDuration().compareTo(limits.maxDuration()) > 0) {
            problems.add(new FieldProblem(workload.stages() != null ? "workload.stages" : "workload.duration",
                    "the test would last " + Durations.format(workload.totalDuration()) + ", more than this server allows: "
                            + Durations.format(limits.maxDuration()) + " (setting barrage.limits.max-duration)"));
        }
    }

    private static FieldProblem overLimit(String field, double limit, String setting) {
        String shown = limit == Math.rint(limit) ? Long.toString((long) limit) : Double.toString(limit);
        return new FieldProblem(field, "must be at most " + shown + " on this server (setting barrage.limits." + setting + ")");
    }

    private static void checkStages(WorkloadDefinition workload, boolean open, List<FieldProblem> problems) {
        Duration total = Duration.ZERO;
        boolean anyLoad = false;
        for (int i = 0; i < workload.stages().size(); i++) {
            WorkloadDefinition.Stage stage = workload.stages().get(i);
            if (stage == null || stage.duration() == null || stage.target() == null) {
                return; // Bean Validation reports these
            }
            total = total.plus(stage.duration());
            anyLoad |= stage.target() > 0;
            double target = stage.target();
            String field = "workload.stages[" + i + "].target";
            if (open && target > MAX_RATE) {
                problems.add(new FieldProblem(field, "must be at most " + (long) MAX_RATE + " requests per second"));
            }
            if (!open && (target != Math.floor(target) || target > MAX_USERS)) {
                problems.add(new FieldProblem(field, "must be a whole number of virtual users from 0 to " + MAX_USERS));
            }
        }
        if (total.compareTo(Duration.ofSeconds(1)) < 0 || total.compareTo(MAX_TOTAL) > 0) {
            problems.add(new FieldProblem("workload.stages", "the stages must last between 1s and 1h in total"));
        }
        if (!anyLoad) {
            problems.add(new FieldProblem("workload.stages", "at least one stage needs a target above 0"));
        }
    }

    private static boolean isSet(WorkloadDefinition workload, String field) {
        return switch (field) {
            case "concurrency" -> workload.concurrency() != null;
            case "rate" -> workload.rate() != null;
            case "duration" -> workload.duration() != null;
            default -> workload.rampUp() != null && !workload.rampUp().isZero();
        };
    }
}
