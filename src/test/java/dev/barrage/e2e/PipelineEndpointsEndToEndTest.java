package dev.barrage.e2e;

import static dev.barrage.support.BarrageApi.closed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * What a pipeline calls: GET /tests/{id}?wait= answers when the run ends (or the wait is over), the
 * JUnit XML of a finished run, and two runs compared.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PipelineEndpointsEndToEndTest {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage();

    private BarrageApi barrage;

    @BeforeEach
    void connect() {
        barrage = live.api();
    }

    @Test
    void aWaitAnswersWhenTheRunEndsAndNotBefore() throws Exception {
        CountingTarget target = target();
        String id = barrage.start(closed(target.url(), 2, "2s"));

        long start = System.nanoTime();
        JsonNode run = barrage.json(barrage.get("/tests/" + id + "?wait=15s"));
        double waited = (System.nanoTime() - start) / 1e9;

        assertThat(run.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.at("/summary/requests").asLong()).isEqualTo(target.received());
        assertThat(waited).isLessThan(15);
        // an ended run answers at once, whatever the wait
        assertThat(barrage.json(barrage.get("/tests/" + id + "?wait=5m")).get("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void aWaitThatIsOverFirstAnswersWithTheRunAsItIs() throws Exception {
        String id = barrage.start(closed(target().url(), 1, "1m"));
        barrage.awaitStatus(id, "RUNNING", RUN_LIMIT);

        long start = System.nanoTime();
        JsonNode run = barrage.json(barrage.get("/tests/" + id + "?wait=1500ms"));
        double waited = (System.nanoTime() - start) / 1e9;

        assertThat(run.get("status").asString()).isEqualTo("RUNNING");
        assertThat(waited).isGreaterThanOrEqualTo(1.4);
        assertThat(barrage.json(barrage.get("/tests/" + id + "?wait=0s")).get("status").asString()).isEqualTo("RUNNING");
        assertThat(barrage.get("/tests/" + id + "/junit").statusCode()).isEqualTo(409);
    }

    @Test
    void aWaitThatIsNotADurationOrIsTooLongIsA400NamingIt() throws Exception {
        String id = barrage.start(closed(target().url(), 1, "1s"));
        for (String wait : List.of("soon", "6m", "-1s")) {
            HttpResponse<String> answer = barrage.get("/tests/" + id + "?wait=" + wait);
            assertThat(answer.statusCode()).as(wait).isEqualTo(400);
            assertThat(barrage.json(answer).at("/errors/0/field").asString()).as(wait).isEqualTo("wait");
        }
        assertThat(barrage.get("/tests/nope?wait=1s").statusCode()).isEqualTo(404);
    }

    @Test
    void theJunitReportHasATestCasePerThresholdAndFailsTheOnesThatDidNotHold() throws Exception {
        String definition = """
                {"name": "ci <smoke> & \\"quotes\\"", "request": {"url": "%s"},
                 "workload": {"concurrency": 1, "duration": "1s"},
                 "thresholds": ["error_rate < 0.5", "rps > 1000000000"]}""".formatted(target().url());
        String id = barrage.start(definition);
        JsonNode run = barrage.awaitStatus(id, "COMPLETED", RUN_LIMIT);

        HttpResponse<String> answer = barrage.get("/tests/" + id + "/junit");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(answer.headers().firstValue("Content-Disposition").orElse("")).contains("barrage-" + id + ".xml");
        Element suite = xml(answer.body()).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("barrage." + id + " ci <smoke> & \"quotes\"");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("the run completed");
        assertThat(((Element) cases.item(1)).getAttribute("name")).isEqualTo("error_rate < 0.5");
        assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isZero();
        Element failed = (Element) cases.item(2);
        assertThat(failed.getAttribute("name")).isEqualTo("rps > 1000000000");
        assertThat(((Element) failed.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("rps > 1000000000: actual " + run.at("/thresholds/1/actual").asDouble());
        assertThat(run.get("verdict").asString()).isEqualTo("FAILED");
    }

    @Test
    void aCancelledRunIsAnErrorInItsJunitReport() throws Exception {
        String id = barrage.start(closed(target().url(), 1, "1m"));
        barrage.awaitStatus(id, "RUNNING", RUN_LIMIT);
        barrage.cancel(id);
        barrage.awaitStatus(id, "CANCELLED", RUN_LIMIT);

        Element suite = xml(barrage.getOk("/tests/" + id + "/junit")).getDocumentElement();

        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        Element error = (Element) suite.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("CANCELLED");
    }

    @Test
    void twoRunsComparedShowEachFiguresChangeAndTheFirstsThresholdsJudgedOnTheSecond() throws Exception {
        String url = target().url();
        String a = barrage.start("""
                {"request": {"url": "%s"}, "workload": {"concurrency": 1, "duration": "1s"},
                 "thresholds": ["rps > 1", "p99 < 1ms"]}""".formatted(url));
        JsonNode runA = barrage.awaitStatus(a, "COMPLETED", RUN_LIMIT);
        String b = barrage.start(closed(url, 2, "1s"));
        JsonNode runB = barrage.awaitStatus(b, "COMPLETED", RUN_LIMIT);

        JsonNode comparison = barrage.getJson("/tests/compare?a=" + a + "&b=" + b);

        assertThat(comparison.at("/a/id").asString()).isEqualTo(a);
        assertThat(comparison.at("/b/summary/requests").asLong()).isEqualTo(runB.at("/summary/requests").asLong());
        JsonNode requests = comparison.at("/changes/0");
        assertThat(requests.get("figure").asString()).isEqualTo("requests");
        long before = runA.at("/summary/requests").asLong();
        long after = runB.at("/summary/requests").asLong();
        assertThat(requests.get("a").asLong()).isEqualTo(before);
        assertThat(requests.get("b").asLong()).isEqualTo(after);
        assertThat(requests.get("change").asLong()).isEqualTo(after - before);
        assertThat(requests.get("relativeChange").asDouble())
                .isCloseTo((double) (after - before) / before, org.assertj.core.data.Offset.offset(1e-6));
        JsonNode judged = comparison.get("thresholdsOfAOnB");
        assertThat(judged.size()).isEqualTo(2);
        assertThat(judged.at("/0/expression").asString()).isEqualTo("rps > 1");
        assertThat(judged.at("/0/actual").asDouble()).isEqualTo(runB.at("/summary/throughput").asDouble());
        assertThat(barrage.get("/tests/compare?a=" + a + "&b=nope").statusCode()).isEqualTo(404);
        HttpResponse<String> missing = barrage.get("/tests/compare?a=" + a);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(barrage.json(missing).get("type").asString()).endsWith("/invalid-parameter");
    }

    private CountingTarget target() throws Exception {
        return live.target();
    }

    private static Document xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
