package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.scenario.Capture;
import dev.barrage.engine.scenario.Check;
import dev.barrage.engine.scenario.DataTable;
import dev.barrage.engine.scenario.JsonPath;
import dev.barrage.engine.scenario.RequestTemplate;
import dev.barrage.engine.scenario.Scenario;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.scenario.Step;
import dev.barrage.engine.scenario.Template;
import dev.barrage.engine.scenario.WeightedCycle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Puts an engine plan together from the engine's own classes, numbering request steps, checks and
 * capture slots in the order they are declared, as the compiler does; so an engine test reads like
 * the definition it stands for, without the compiler in between.
 */
final class ScenarioPlanBuilder {

    static final String HOST = "target.test:8080";
    static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final List<Step> requestSteps = new ArrayList<>();
    private final List<StatusRange> stepSuccess = new ArrayList<>();
    private final List<String> checkNames = new ArrayList<>();
    private final List<String> captureSlots = new ArrayList<>();
    private DataTable data;
    private int maxBodyBytes = 64 * 1024;

    ScenarioPlanBuilder data(DataTable table) {
        this.data = table;
        return this;
    }

    ScenarioPlanBuilder maxBodyBytes(int bytes) {
        this.maxBodyBytes = bytes;
        return this;
    }

    /** What templates may name now: the data's fields and the captures declared so far. */
    Template.Names names() {
        return new Template.Names(Map.of(), data == null ? List.of() : data.fields(), List.copyOf(captureSlots));
    }

    /** A request that takes the user's cookies, as every scenario step without its own Cookie header does. */
    RequestTemplate template(String method, String target, String body, String... headers) {
        return template(method, target, body, true, headers);
    }

    /** @param headers each {@code "Name: value template"} */
    RequestTemplate template(String method, String target, String body, boolean cookies, String... headers) {
        List<RequestTemplate.Header> compiled = new ArrayList<>();
        for (String header : headers) {
            int colon = header.indexOf(": ");
            compiled.add(new RequestTemplate.Header(header.substring(0, colon),
                    Template.compile(header.substring(colon + 2), names())));
        }
        return new RequestTemplate(method, Template.compile(target, names()), HOST, compiled,
                body == null ? null : Template.compile(body, names()), true, cookies);
    }

    Check check(IntFunction<Check> atIndex) {
        Check check = atIndex.apply(checkNames.size());
        checkNames.add(check.name());
        return check;
    }

    Capture jsonCapture(String as, String path) {
        Capture capture = Capture.jsonPath(as, slot(as), checkNames.size(), JsonPath.compile(path));
        checkNames.add(capture.name());
        return capture;
    }

    Capture headerCapture(String as, String header) {
        Capture capture = Capture.header(as, slot(as), checkNames.size(), header);
        checkNames.add(capture.name());
        return capture;
    }

    Step request(String name, RequestTemplate template) {
        return request(name, 0, template, List.of(), List.of(), StatusRange.DEFAULT);
    }

    Step request(String name, RequestTemplate template, List<Capture> captures, List<Check> checks) {
        return request(name, 0, template, captures, checks, StatusRange.DEFAULT);
    }

    Step request(String name, int target, RequestTemplate template, List<Capture> captures, List<Check> checks,
                 StatusRange success) {
        Step step = Step.request(name, requestSteps.size(), target, template, TIMEOUT_NANOS, false, captures, checks);
        requestSteps.add(step);
        stepSuccess.add(success);
        return step;
    }

    ScenarioPlan build(List<Scenario> scenarios, int... weights) {
        int targets = 1 + requestSteps.stream().mapToInt(Step::target).max().orElse(0);
        return new ScenarioPlan(scenarios, new WeightedCycle(weights), data, captureSlots.size(), requestSteps,
                checkNames, targets, true, maxBodyBytes);
    }

    /** A recorder with one slot per request step (judged by its own success range) and per check. */
    RunRecorder recorder() {
        return new RunRecorder(stepSuccess, checkNames.size());
    }

    private int slot(String as) {
        int slot = captureSlots.indexOf(as);
        if (slot < 0) {
            slot = captureSlots.size();
            captureSlots.add(as);
        }
        return slot;
    }
}
