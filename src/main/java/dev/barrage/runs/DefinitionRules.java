package dev.barrage.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules that span several fields, checked after Bean Validation has passed field by field.
 * Stateless.
 */
final class DefinitionRules {

    private static final Set<String> TRANSPORT_OWNED_HEADERS = Set.of("content-length", "transfer-encoding", "connection");

    private DefinitionRules() {
    }

    static void check(TestDefinition definition) {
        List<FieldProblem> problems = new ArrayList<>();
        checkRequest(definition.request(), problems);
        checkWorkload(definition.workload(), problems);
        List<Integer> expected = definition.expectedStatus();
        if (expected != null && expected.size() == 2 && expected.get(0) != null && expected.get(1) != null
                && expected.get(0) > expected.get(1)) {
            problems.add(new FieldProblem("expectedStatus", "from must not be greater than to, such as [200, 399]"));
        }
        if (definition.thresholds() != null && !definition.thresholds().isEmpty()) {
            problems.add(new FieldProblem("thresholds", "thresholds are not available in this version yet; remove them"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }

    private static void checkRequest(RequestDefinition request, List<FieldProblem> problems) {
        if (request.headers() != null) {
            for (String name : request.headers().keySet()) {
                if (TRANSPORT_OWNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    problems.add(new FieldProblem("request.headers." + name,
                            "is set by Barrage from the body and keepAlive; remove it"));
                }
            }
        }
        if (request.body() != null && "HEAD".equalsIgnoreCase(request.method())) {
            problems.add(new FieldProblem("request.body", "a HEAD request cannot carry a body"));
        }
    }

    private static void checkWorkload(WorkloadDefinition workload, List<FieldProblem> problems) {
        WorkloadModel model = workload.model() == null ? WorkloadModel.CLOSED : workload.model();
        if (model == WorkloadModel.OPEN) {
            problems.add(new FieldProblem("workload.model", "the open model is not available in this version yet; use \"closed\""));
            return;
        }
        if (workload.stages() != null) {
            problems.add(new FieldProblem("workload.stages", "stages are not available in this version yet; use concurrency and duration"));
            return;
        }
        if (workload.rampUp() != null && !workload.rampUp().isZero()) {
            problems.add(new FieldProblem("workload.rampUp", "ramp-up is not available in this version yet; remove it or use \"0s\""));
        }
        if (workload.concurrency() == null) {
            problems.add(new FieldProblem("workload.concurrency", "is required for the closed model: the number of virtual users"));
        }
        if (workload.duration() == null) {
            problems.add(new FieldProblem("workload.duration", "is required, such as \"30s\""));
        }
        if (workload.rate() != null) {
            problems.add(new FieldProblem("workload.rate", "applies to the open model only; the closed model takes concurrency"));
        }
        if (workload.maxConcurrency() != null) {
            problems.add(new FieldProblem("workload.maxConcurrency", "applies to the open model only; the closed model takes concurrency"));
        }
    }
}
