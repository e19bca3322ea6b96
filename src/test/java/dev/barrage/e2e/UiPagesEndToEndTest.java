package dev.barrage.e2e;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import dev.barrage.support.ShopTarget;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The web UI as a browser meets it: the pages, every script and stylesheet they load, and the
 * examples the start form offers, each one a definition the service accepts. Also the timeline's
 * p90, which the run page charts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiPagesEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    /** Where the examples send their load: a demo target on the user's machine. */
    private static final String EXAMPLE_BASE = "http://127.0.0.1:8081";
    private static final Pattern SCRIPT = Pattern.compile("\\bsrc=\"([^\"]+)\"");
    private static final Pattern STYLESHEET = Pattern.compile("\\bhref=\"([^\"]+\\.css)\"");
    private static final Pattern ORIGIN = Pattern.compile("https?://[^/\"]+");

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage();

    private BarrageApi barrage;

    @BeforeEach
    void connect() {
        barrage = live.api();
    }

    @Test
    void aRunPageAnswersForAnyIdAndLoadsTheRunPageScript() throws Exception {
        for (String id : List.of("5f0c1e7a9b2d", "no-such-run")) {
            HttpResponse<String> page = barrage.get("/runs/" + id);

            assertThat(page.statusCode()).as(id).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(id).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).as(id).contains("id=\"main\"", "src=\"/ui/run-page.js\"");
        }
    }

    @Test
    void theComparePageAnswersWithItsChartsPlace() throws Exception {
        HttpResponse<String> page = barrage.get("/compare?a=x&b=y");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("id=\"compare-charts\"", "src=\"/ui/compare-page.js\"");
    }

    @Test
    void everyScriptAndStylesheetOfThePagesIsServedAsWhatItIs() throws Exception {
        Set<String> scripts = new TreeSet<>();
        Set<String> stylesheets = new TreeSet<>();
        for (String page : List.of("/", "/runs/x", "/compare")) {
            String html = barrage.getOk(page);
            scripts.addAll(all(SCRIPT, html));
            stylesheets.addAll(all(STYLESHEET, html));
        }
        assertThat(scripts).contains("/webjars/uplot/dist/uPlot.iife.min.js", "/ui/common.js", "/ui/api.js",
                "/ui/list-page.js", "/ui/start-form.js", "/ui/charts.js", "/ui/run-view.js", "/ui/run-page.js",
                "/ui/compare-page.js");
        assertThat(stylesheets).containsExactlyInAnyOrder("/webjars/uplot/dist/uPlot.min.css", "/ui/app.css");

        for (String script : scripts) {
            HttpResponse<String> answer = barrage.get(script);
            assertThat(answer.statusCode()).as(script).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).as(script).hasValueSatisfying(
                    type -> assertThat(type).contains("javascript"));
            assertThat(answer.body()).as(script).isNotBlank();
        }
        for (String stylesheet : stylesheets) {
            HttpResponse<String> answer = barrage.get(stylesheet);
            assertThat(answer.statusCode()).as(stylesheet).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).as(stylesheet).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/css"));
            assertThat(answer.body()).as(stylesheet).isNotBlank();
        }
    }

    @Test
    void everyExampleOfTheStartFormIsADefinitionTheServiceRuns() throws Exception {
        JsonNode examples = barrage.getJson("/ui/examples.json");

        assertThat(examples.isArray()).isTrue();
        assertThat(examples.size()).isEqualTo(4);
        Set<String> names = new HashSet<>();
        for (JsonNode example : examples) {
            String name = example.get("name").asString();
            assertThat(name).isNotBlank();
            assertThat(names.add(name)).as("the name %s is unique", name).isTrue();
            JsonNode definition = example.get("definition");
            assertThat(definition.isObject()).as(name).isTrue();
            assertThat(definition.toString()).as(name).contains(EXAMPLE_BASE);
            if (definition.has("scenarios")) {
                runAgainstShop(name, definition);
            } else {
                runAgainstCountingTarget(name, definition);
            }
        }
    }

    @Test
    void timelinePointsCarryP90BetweenP50AndP99() throws Exception {
        CountingTarget target = live.target();
        String id = barrage.start(closed(target.url(), 2, "2s"));
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        JsonNode timeline = barrage.getJson("/tests/" + id + "/timeline");

        assertThat(timeline.size()).isPositive();
        long requests = 0;
        for (JsonNode point : timeline) {
            requests += point.get("requests").asLong();
            assertThat(point.get("p90")).as("p90 of %s", point).isNotNull();
            assertThat(point.get("p90").isNumber()).as("p90 of %s", point).isTrue();
            if (point.get("requests").asLong() > 0) {
                assertThat(point.get("p50").asDouble()).as("point %s", point).isPositive();
            }
            assertThat(point.get("p50").asDouble()).as("point %s", point)
                    .isLessThanOrEqualTo(point.get("p90").asDouble());
            assertThat(point.get("p90").asDouble()).as("point %s", point)
                    .isLessThanOrEqualTo(point.get("p99").asDouble());
        }
        assertThat(requests).isEqualTo(run.at("/summary/requests").asLong()).isEqualTo(target.received());
    }

    /** The example with every URL sent to a counting target on this machine instead. */
    private void runAgainstCountingTarget(String name, JsonNode example) throws Exception {
        CountingTarget target = live.closeAfterTest(new CountingTarget(200, "[]".getBytes(StandardCharsets.UTF_8)));
        String base = "http://127.0.0.1:" + target.port();
        JsonNode run = startCancelAndEnd(name, example.toString().replace(EXAMPLE_BASE, base), base);
        assertThat(target.received()).as(name).isGreaterThanOrEqualTo(run.at("/summary/requests").asLong());
    }

    /** The scenario example with its base variable pointed at a shop on this machine. */
    private void runAgainstShop(String name, JsonNode example) throws Exception {
        Map<String, String> accounts = new HashMap<>();
        for (int vu = 0; vu <= 10; vu++) {
            accounts.put("user" + vu + "@example.test", "secret");
        }
        ShopTarget shop = live.closeAfterTest(new ShopTarget(accounts));
        JsonNode run = startCancelAndEnd(name, example.toString().replace(EXAMPLE_BASE, shop.base()), shop.base());
        assertThat(shop.receivedInAll()).as(name).isGreaterThanOrEqualTo(run.at("/summary/requests").asLong());
        assertThat(shop.received(ShopTarget.Route.ITEMS)).as(name).isPositive();
    }

    /**
     * Starts the definition (which must only name {@code base}), waits until it has sent requests,
     * cancels it and answers the run once it has ended.
     */
    private JsonNode startCancelAndEnd(String name, String definition, String base) throws Exception {
        assertThat(new LinkedHashSet<>(all(ORIGIN, definition))).as("%s sends only to %s", name, base)
                .containsExactly(base);
        String id = barrage.start(definition);
        barrage.awaitRun(id, run -> run.at("/summary/requests").asLong() > 0, "sending requests", RUN_LIMIT);
        assertThat(barrage.cancel(id).statusCode()).as(name).isEqualTo(202);
        JsonNode run = barrage.awaitEnd(id, RUN_LIMIT);
        assertThat(run.get("status").asString()).as(name).isEqualTo("CANCELLED");
        assertThat(run.get("definition").toString()).as(name).doesNotContain(EXAMPLE_BASE);
        assertThat(run.at("/summary/requests").asLong()).as(name).isPositive();
        return run;
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
        }
        return found;
    }
}
