package dev.barrage.runs;

import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.scenario.Capture;
import dev.barrage.engine.scenario.Check;
import dev.barrage.engine.scenario.DataTable;
import dev.barrage.engine.scenario.RequestTemplate;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.scenario.Template;
import dev.barrage.engine.scenario.WeightedCycle;
import dev.barrage.engine.transport.Http1Transport;
import dev.barrage.engine.transport.HttpRequestSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a definition given as scenarios (or as one request with templates, variables or data)
 * into the engine's {@link ScenarioPlan}: templates split into literal bytes and slots, captures
 * numbered, checks compiled, the targets (scheme, host, port) found, each known at submission so
 * the allow-list is checked before anything is sent. Every problem names its place, such as
 * {@code scenarios[1].steps[0].request.headers.Authorization}. Stateless.
 */
final class ScenarioCompiler {

    /** Request steps in a test: bounds the per-step recorders, summaries and metric series. */
    static final int MAX_REQUEST_STEPS = 50;
    private static final Pattern DATA_FIELD = Pattern.compile("\\{\\{\\s*data\\.([^}\\s]+)\\s*}}");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    /** The compiled test: its plan, the URL and connection options of each target, and how it is recorded. */
    record Compiled(ScenarioPlan plan, List<HttpRequestSpec> targets, StepLayout layout, List<StatusRange> stepSuccess) {
    }

    private record TargetKey(String scheme, String host, int port, boolean keepAlive, boolean insecureTls) {
    }

    private ScenarioCompiler() {
    }

    /**
     * @param definition with defaults filled in
     * @throws InvalidDefinitionException naming every problem found
     */
    static Compiled compile(TestDefinition definition, RunLimits limits) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, String> variables = definition.variables() == null ? Map.of() : definition.variables();
        variables.forEach((name, value) -> {
            if (value.contains("{{")) {
                problems.add(new FieldProblem("variables." + name, "must not contain {{ (variables are plain text, fixed at submission)"));
            }
        });
        DataTable data = DataCompiler.compile(definition.data(), limits.maxDataBytes(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        List<ScenarioDefinition> scenarios = definition.scenarios() != null ? definition.scenarios()
                : List.of(new ScenarioDefinition("default", 1, List.of(new StepDefinition("request", definition.request(),
                        List.of(), List.of(), null))));
        String prefix = definition.scenarios() != null ? "scenarios" : null;
        StatusRange expected = new StatusRange(definition.expectedStatus().get(0), definition.expectedStatus().get(1));

        Compilation compilation = new Compilation(variables, data, limits, expected, problems);
        scenarios.forEach(scenario -> scenario.steps().forEach(step -> step.capture().forEach(capture -> {
            if (capture != null && capture.as() != null) {
                compilation.allCaptures.add(capture.as());
            }
        })));
        List<Scenario> compiled = new ArrayList<>();
        Set<String> scenarioNames = new HashSet<>();
        int[] weights = new int[scenarios.size()];
        for (int s = 0; s < scenarios.size(); s++) {
            ScenarioDefinition scenario = scenarios.get(s);
            String field = prefix == null ? "request" : prefix + "[" + s + "]";
            if (!scenarioNames.add(scenario.name())) {
                problems.add(new FieldProblem(field + ".name", "'" + scenario.name() + "' names another scenario too; scenario names are unique in a test"));
            }
            weights[s] = scenario.weight();
            compiled.add(compilation.scenario(scenario, field, prefix == null));
        }
        if (compilation.requestSteps.size() > MAX_REQUEST_STEPS) {
            problems.add(new FieldProblem("scenarios", "the test has " + compilation.requestSteps.size()
                    + " request steps; at most " + MAX_REQUEST_STEPS + " (each is recorded and published apart)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        ScenarioPlan plan = new ScenarioPlan(compiled, new WeightedCycle(weights), data, compilation.captureSlots.size(),
                compilation.requestSteps, compilation.checkNames, compilation.targets.size(), definition.scenarios() != null,
                limits.maxBodyBytes());
        return new Compiled(plan, List.copyOf(compilation.targetSpecs), StepLayout.of(plan), List.copyOf(compilation.stepSuccess));
    }

    /** The state of one compilation: what has been numbered so far. */
    private static final class Compilation {

        private final Map<String, String> variables;
        private final DataTable data;
        private final RunLimits limits;
        private final StatusRange expected;
        private final List<FieldProblem> problems;
        final List<Step> requestSteps = new ArrayList<>();
        final List<String> checkNames = new ArrayList<>();
        final List<StatusRange> stepSuccess = new ArrayList<>();
        final List<String> captureSlots = new ArrayList<>();
        final Map<TargetKey, Integer> targets = new LinkedHashMap<>();
        final List<HttpRequestSpec> targetSpecs = new ArrayList<>();
        private final Set<String> stepNames = new HashSet<>();
        /** Every capture name of the test, so a template that uses one too early is told so. */
        final Set<String> allCaptures = new HashSet<>();

        Compilation(Map<String, String> variables, DataTable data, RunLimits limits, StatusRange expected,
                    List<FieldProblem> problems) {
            this.variables = variables;
            this.data = data;
            this.limits = limits;
            this.expected = expected;
            this.problems = problems;
        }

        Scenario scenario(ScenarioDefinition scenario, String field, boolean topLevelRequest) {
            List<Step> steps = new ArrayList<>();
            Set<String> made = new HashSet<>(); // captures made by earlier steps of this scenario
            for (int k = 0; k < scenario.steps().size(); k++) {
                StepDefinition step = scenario.steps().get(k);
                String stepField = topLevelRequest ? "request" : field + ".steps[" + k + "]";
                Step compiled = step(step, stepField, topLevelRequest, made);
                if (compiled != null) {
                    steps.add(compiled);
                }
            }
            if (steps.stream().allMatch(Step::isThink) && !steps.isEmpty()) {
                problems.add(new FieldProblem(field + ".steps", "a scenario needs at least one step with a request"));
            }
            return new Scenario(scenario.name(), steps);
        }

        private Step step(StepDefinition step, String field, boolean topLevelRequest, Set<String> made) {
            if ((step.request() == null) == (step.think() == null)) {
                problems.add(new FieldProblem(field, "a step is a request (with optional capture and checks) or a think pause, one of the two"));
                return null;
            }
            if (step.think() != null) {
                if (!step.capture().isEmpty() || !step.checks().isEmpty()) {
                    problems.add(new FieldProblem(field, "a think step pauses only: capture and checks go with a request"));
                }
                return Step.think(step.think().toNanos());
            }
            String name = step.name();
            if (!stepNames.add(name)) {
                problems.add(new FieldProblem(field + ".name", "'" + name + "' names another step too; step names are unique in a test"));
            }
            String requestField = topLevelRequest ? "request" : field + ".request";
            RequestDefinition request = step.request();
            requestRules(request, requestField);
            Template.Names names = new Template.Names(variables, data == null ? List.of() : data.fields(), available(made));
            int index = requestSteps.size();

            Target target = target(request, requestField);
            Template path = template(target == null ? "/" : target.rest, names, requestField + ".url");
            List<RequestTemplate.Header> headers = new ArrayList<>();
            boolean userCookie = false;
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                userCookie |= header.getKey().equalsIgnoreCase("cookie");
                Template value = template(header.getValue(), names, requestField + ".headers[" + header.getKey() + "]");
                headers.add(new RequestTemplate.Header(header.getKey(), value));
            }
            unsafeDataIn(request, requestField);
            Template body = request.body() == null ? null : template(request.body(), names, requestField + ".body");

            List<Check> checks = new ArrayList<>();
            StatusRange success = expected;
            for (int c = 0; c < step.checks().size(); c++) {
                Check check = StepChecks.check(step.checks().get(c), checkNames.size(), field + ".checks[" + c + "]", problems);
                if (check != null) {
                    checks.add(check);
                    checkNames.add(check.name());
                    if (check.kind() == Check.Kind.STATUS) {
                        success = new StatusRange(check.low(), check.high()); // the step's own idea of success
                    }
                }
            }
            List<Capture> captures = new ArrayList<>();
            for (int c = 0; c < step.capture().size(); c++) {
                CaptureDefinition definition = step.capture().get(c);
                String captureField = field + ".capture[" + c + "]";
                if (definition.as() == null) {
                    continue; // Bean Validation reports it
                }
                if (variables.containsKey(definition.as())) {
                    problems.add(new FieldProblem(captureField + ".as", "'" + definition.as() + "' is a variable's name; captures need their own"));
                    continue;
                }
                int slot = captureSlots.indexOf(definition.as());
                if (slot < 0) {
                    slot = captureSlots.size();
                    captureSlots.add(definition.as());
                }
                Capture capture = StepChecks.capture(definition, slot, checkNames.size(), captureField, problems);
                if (capture != null) {
                    captures.add(capture);
                    checkNames.add(capture.name());
                }
            }
            captures.forEach(capture -> made.add(captureSlots.get(capture.slot())));
            if (target == null || path == null || body == null && request.body() != null
                    || headers.stream().anyMatch(h -> h.value() == null)) {
                return null;
            }
            RequestTemplate template = new RequestTemplate(request.method(), path, target.hostHeader, headers, body,
                    request.keepAlive(), !topLevelRequest && !userCookie);
            Step compiled;
            try {
                compiled = Step.request(name, index, target.index, template, request.timeout().toNanos(),
                        request.method().equals("HEAD"), captures, checks);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(field, e.getMessage()));
                return null;
            }
            requestSteps.add(compiled);
            stepSuccess.add(success);
            return compiled;
        }

        /** The capture slots, with those not made yet in this scenario hidden, so templates cannot use them. */
        private List<String> available(Set<String> made) {
            List<String> visible = new ArrayList<>();
            for (String slot : captureSlots) {
                visible.add(made.contains(slot) ? slot : "\u0000not yet made");
            }
            return visible;
        }

        private void requestRules(RequestDefinition request, String field) {
            for (String header : request.headers().keySet()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.equals("content-length") || lower.equals("transfer-encoding") || lower.equals("connection")) {
                    problems.add(new FieldProblem(field + ".headers[" + header + "]", "is set by Barrage from the body and keepAlive; remove it"));
                }
            }
            if (request.body() != null && request.method().equals("HEAD")) {
                problems.add(new FieldProblem(field + ".body", "a HEAD request cannot carry a body"));
            }
        }

        private record Target(int index, String hostHeader, String rest) {
        }

        /** The URL's scheme, host and port (literal or from variables) as a target; the rest is the path template. */
        private Target target(RequestDefinition request, String field) {
            String url = substituteVariables(request.url());
            int authorityStart = url.indexOf("://");
            int placeholder = url.indexOf("{{");
            int authorityEnd = authorityStart < 0 ? -1 : firstOf(url, authorityStart + 3, "/?#");
            if (authorityStart < 0 || (placeholder >= 0 && (authorityEnd < 0 || placeholder < authorityEnd))) {
                problems.add(new FieldProblem(field + ".url", "the scheme, host and port must be written out or come from"
                        + " variables, so the target is known (and checked against the allow-list) at submission: "
                        + request.url()));
                return null;
            }
            String base = authorityEnd < 0 ? url : url.substring(0, authorityEnd);
            String rest = authorityEnd < 0 ? "/" : url.substring(authorityEnd);
            if (rest.startsWith("?")) {
                rest = "/" + rest;
            }
            URI uri = HttpUrl.Validator.parse(base + "/");
            if (uri == null) {
                problems.add(new FieldProblem(field + ".url", "must start with an http:// or https:// URL with a host, such as"
                        + " http://127.0.0.1:8081 (from variables or written out): " + request.url()));
                return null;
            }
            String literalRest = rest.replaceAll("\\{\\{.*?}}", "");
            for (int i = 0; i < literalRest.length(); i++) {
                char c = literalRest.charAt(i);
                if (c <= 0x20 || c == 0x7F || c == '#') {
                    problems.add(new FieldProblem(field + ".url", "the path and query must not contain spaces, control"
                            + " characters or a #fragment (percent-encode them): " + request.url()));
                    return null;
                }
            }
            TargetKey key = new TargetKey(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), uri.getPort(),
                    request.keepAlive(), request.insecureTls());
            Integer index = targets.get(key);
            if (index == null) {
                index = targets.size();
                targets.put(key, index);
                targetSpecs.add(new HttpRequestSpec("GET", uri, Map.of(), null, request.timeout(), request.keepAlive(),
                        request.insecureTls()));
            }
            return new Target(index, Http1Transport.hostHeaderOf(uri), rest);
        }

        private String substituteVariables(String text) {
            Matcher matcher = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = variables.get(matcher.group(1));
                matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
            }
            return matcher.appendTail(out).toString();
        }

        private Template template(String text, Template.Names names, String field) {
            try {
                return Template.compile(text, names);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                for (String slot : allCaptures) {
                    if (message.startsWith("{{" + slot + "}}")) {
                        message = "{{" + slot + "}} is used before the step that captures it: a capture is"
                                + " available to the later steps of its own scenario";
                    }
                }
                problems.add(new FieldProblem(field, message));
                return null;
            }
        }

        /** A variable or data value with a line break must not reach a URL or a header (it would smuggle lines in). */
        private void unsafeDataIn(RequestDefinition request, String field) {
            request.headers().forEach((name, value) -> {
                Matcher matcher = VARIABLE.matcher(value);
                while (matcher.find()) {
                    String variable = variables.get(matcher.group(1));
                    if (variable != null && (variable.indexOf('\r') >= 0 || variable.indexOf('\n') >= 0 || variable.indexOf('\0') >= 0)) {
                        problems.add(new FieldProblem(field + ".headers[" + name + "]", "{{" + matcher.group(1)
                                + "}} holds a line break or NUL, which cannot go into a header"));
                        return;
                    }
                }
            });
            if (data == null) {
                return;
            }
            Map<String, String> places = new HashMap<>();
            places.put(field + ".url", request.url());
            request.headers().forEach((name, value) -> places.put(field + ".headers[" + name + "]", value));
            places.forEach((place, text) -> {
                Matcher matcher = DATA_FIELD.matcher(text);
                while (matcher.find()) {
                    int column = data.fields().indexOf(matcher.group(1));
                    if (column < 0) {
                        continue; // the template reports the unknown field
                    }
                    for (int r = 0; r < data.rows().length; r++) {
                        String value = data.rows()[r][column];
                        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                            problems.add(new FieldProblem(place, "{{data." + matcher.group(1) + "}} of row " + (r + 1)
                                    + " holds a line break or NUL, which cannot go into a URL or header"));
                            return;
                        }
                    }
                }
            });
        }

        private static int firstOf(String text, int from, String characters) {
            for (int i = from; i < text.length(); i++) {
                if (characters.indexOf(text.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
