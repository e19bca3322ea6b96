package dev.barrage.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.ResponseListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Captures and checks judged on a response shown to {@link ResponseCapture} as the response reader shows it. */
class CaptureAndCheckTest {

    private static final int MAX_BODY = 64 * 1024;
    private static final Template.Names NAMES = new Template.Names(Map.of(), List.of(), List.of());
    private static final RequestTemplate ANY_REQUEST =
            new RequestTemplate("GET", Template.compile("/", NAMES), "target.test", List.of(), null, true, false);

    // ---- captures ------------------------------------------------------------------------------

    @Test
    void aHeaderCaptureFindsTheHeaderWhateverTheCaseOfItsNameAndTakesItsFirstValue() {
        Capture token = Capture.header("token", 0, 0, "X-Token");

        ResponseCapture response = respond(List.of(token), List.of(), MAX_BODY, 200, "",
                "Content-Type: text/plain", "x-TOKEN: abc", "X-Token: second");

        assertThat(token.extract(response)).isEqualTo("abc");
    }

    @Test
    void aRegexCapturesTheFirstGroupOfTheFirstMatch() {
        Capture id = Capture.regex("id", 0, 0, Pattern.compile("id=(\\d+)"));
        Capture key = Capture.regex("key", 1, 1, Pattern.compile("(\\w+)=(\\d+)"));

        ResponseCapture response = respond(List.of(id, key), List.of(), MAX_BODY, 200, "order id=42, next id=43");

        assertThat(id.extract(response)).isEqualTo("42");
        assertThat(key.extract(response)).isEqualTo("id");
    }

    @Test
    void aRegexCapturesUtf8TextWhole() {
        Capture name = Capture.regex("name", 0, 0, Pattern.compile("name=([^;]+);"));

        ResponseCapture response = respond(List.of(name), List.of(), MAX_BODY, 200, "<p>name=Zoë 🚀 日本;</p>");

        assertThat(name.extract(response)).isEqualTo("Zoë 🚀 日本");
    }

    @Test
    void aRegexThatDoesNotMatchOrWhoseGroupTookNoPartCapturesNothing() {
        Capture absent = Capture.regex("a", 0, 0, Pattern.compile("id=(\\d+)"));
        Capture unused = Capture.regex("b", 1, 1, Pattern.compile("(x)|y"));

        ResponseCapture response = respond(List.of(absent, unused), List.of(), MAX_BODY, 200, "no id here, y");

        assertThat(absent.extract(response)).isNull();
        assertThat(unused.extract(response)).isNull();
    }

    @Test
    void aRegexWithoutAGroupIsRefused() {
        assertThatThrownBy(() -> Capture.regex("id", 0, 0, Pattern.compile("id=\\d+")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
    }

    @Test
    void aJsonCaptureTakesAStringsContentANumberAsWrittenAndAnObjectAsItsText() {
        Capture text = Capture.jsonPath("t", 0, 0, JsonPath.compile("$.items[1].name"));
        Capture number = Capture.jsonPath("n", 1, 1, JsonPath.compile("$.total"));
        Capture object = Capture.jsonPath("o", 2, 2, JsonPath.compile("$.items[0]"));

        ResponseCapture response = respond(List.of(text, number, object), List.of(), MAX_BODY, 200,
                "{\"items\":[{\"id\":1},{\"name\":\"sec\\\"ond\"}],\"total\":12.50}");

        assertThat(text.extract(response)).isEqualTo("sec\"ond");
        assertThat(number.extract(response)).isEqualTo("12.50");
        assertThat(object.extract(response)).isEqualTo("{\"id\":1}");
    }

    /** A value sent on in a later header could smuggle lines into that request. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"t\":\"a\\r\\nX-Injected: 1\"}",
            "{\"t\":\"a\\nb\"}",
            "{\"t\":\"a\\u000db\"}",
            "{\"t\":\"a\\u0000b\"}"})
    void aJsonValueHoldingCrLfOrNulCapturesNothing(String body) {
        Capture token = Capture.jsonPath("t", 0, 0, JsonPath.compile("$.t"));

        assertThat(token.extract(respond(List.of(token), List.of(), MAX_BODY, 200, body))).isNull();
    }

    @Test
    void aRegexMatchSpanningALineBreakCapturesNothing() {
        Capture token = Capture.regex("t", 0, 0, Pattern.compile("t=([^;]+);"));

        assertThat(token.extract(respond(List.of(token), List.of(), MAX_BODY, 200, "t=a\r\nb;"))).isNull();
    }

    @Test
    void aTabIsNoLineBreakAndIsCaptured() {
        Capture token = Capture.jsonPath("t", 0, 0, JsonPath.compile("$.t"));

        assertThat(token.extract(respond(List.of(token), List.of(), MAX_BODY, 200, "{\"t\":\"a\\tb\"}"))).isEqualTo("a\tb");
    }

    @Test
    void theHeadersOfAnInterimResponseAreForgotten() {
        Capture token = Capture.header("token", 0, 0, "X-Token");
        ResponseCapture response = new ResponseCapture(MAX_BODY);
        response.begin(step(List.of(token), List.of()), null);

        response.headStarted(100);
        header(response, "X-Token: interim");
        response.headStarted(200);

        assertThat(token.extract(response)).isNull();
    }

    // ---- checks --------------------------------------------------------------------------------

    @Test
    void headerChecksIgnoreTheCaseOfTheName() {
        Check equals = Check.headerEquals(0, "content-type", "application/json");
        Check contains = Check.headerContains(1, "X-REQUEST-ID", "req-");

        ResponseCapture response = respond(List.of(), List.of(equals, contains), MAX_BODY, 200, "",
                "Content-Type: application/json", "x-request-id: req-7");

        assertThat(equals.passes(200, response, 0)).isTrue();
        assertThat(contains.passes(200, response, 0)).isTrue();
    }

    @ParameterizedTest(name = "{0} equals {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "1          | 1.0   | true",
            "1.0        | 1     | true",
            "1e0        | 1     | true",
            "-0.50      | -0.5  | true",
            "100        | 1E+2  | true",
            "10         | 1     | false",
            "1          | true  | false",
            "\"abc\"    | abc   | true",
            "\"abc\"    | abd   | false",
            "true       | true  | true",
            "false      | true  | false",
            "null       | null  | true"})
    void jsonEqualsComparesNumbersByValueAndOtherScalarsByText(String json, String expected, boolean passes) {
        Check check = Check.jsonEquals(0, JsonPath.compile("$.v"), expected);

        ResponseCapture response = respond(List.of(), List.of(check), MAX_BODY, 200, "{\"v\":" + json + "}");

        assertThat(check.passes(200, response, 0)).isEqualTo(passes);
    }

    @Test
    void aJsonPathThatLeadsNowhereNeitherEqualsNorExists() {
        Check equals = Check.jsonEquals(0, JsonPath.compile("$.v"), "1");
        Check exists = Check.jsonExists(1, JsonPath.compile("$.v"), true);
        Check absent = Check.jsonExists(2, JsonPath.compile("$.v"), false);

        ResponseCapture response = respond(List.of(), List.of(equals, exists, absent), MAX_BODY, 200, "{\"w\":1}");

        assertThat(equals.passes(200, response, 0)).isFalse();
        assertThat(exists.passes(200, response, 0)).isFalse();
        assertThat(absent.passes(200, response, 0)).isTrue();
    }

    @Test
    void aBodyLargerThanTheLimitFailsTheBodyChecksAndCapturesButNotTheOthers() {
        String body = "{\"s\":\"NEW\",\"x\":1}"; // 17 bytes, "NEW" within the first 16
        Check contains = Check.bodyContains(0, "NEW");
        Check equals = Check.jsonEquals(1, JsonPath.compile("$.s"), "NEW");
        Check exists = Check.jsonExists(2, JsonPath.compile("$.s"), true);
        Check absent = Check.jsonExists(3, JsonPath.compile("$.nothing"), false);
        Check status = Check.status(4, 200, 299);
        Check header = Check.headerEquals(5, "X-A", "1");
        Capture fromBody = Capture.jsonPath("s", 0, 6, JsonPath.compile("$.s"));
        Capture fromHeader = Capture.header("a", 1, 7, "X-A");
        List<Check> checks = List.of(contains, equals, exists, absent, status, header);

        ResponseCapture cut = respond(List.of(fromBody, fromHeader), checks, 16, 200, body, "X-A: 1");
        ResponseCapture whole = respond(List.of(fromBody, fromHeader), checks, 17, 200, body, "X-A: 1");

        assertThat(cut.bodyTooLarge()).isTrue();
        assertThat(checks).filteredOn(check -> check.passes(200, cut, 0)).containsExactly(status, header);
        assertThat(fromBody.extract(cut)).isNull();
        assertThat(fromHeader.extract(cut)).isEqualTo("1");
        assertThat(whole.bodyTooLarge()).isFalse();
        assertThat(checks).allMatch(check -> check.passes(200, whole, 0));
        assertThat(fromBody.extract(whole)).isEqualTo("NEW");
    }

    @Test
    void aUserCountsEachResponseLargerThanTheLimitAndTheFailedCaptureAsAFailedCheck() {
        Capture token = Capture.jsonPath("token", 0, 0, JsonPath.compile("$.token"));
        Step login = step(List.of(token), List.of());
        ScenarioPlan plan = new ScenarioPlan(List.of(new Scenario("s", List.of(login))), new WeightedCycle(1), null, 1,
                List.of(login), List.of(token.name()), 1, false, 8);
        UserState user = new UserState(plan, 1, 42);
        RunRecorder recorder = new RunRecorder(List.of(StatusRange.DEFAULT), 1);
        user.startIteration(0, false);

        ResponseListener listener = user.listenerFor(login);
        listener.headStarted(200);
        byte[] body = "{\"token\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
        listener.body(body, 0, body.length);
        boolean complete = user.judge(login, Exchange.response(200, 10, 10), 0, recorder);

        assertThat(complete).isFalse();
        assertThat(user.capture(0)).isNull();
        assertThat(recorder.bodiesTooLarge()).isEqualTo(1);
    }

    @Test
    void onARequestThatFailedWithoutAResponseOnlyTheDurationCheckCanPass() {
        Check status = Check.status(0, 200, 299);
        Check header = Check.headerContains(1, "X-A", "");
        Check absent = Check.jsonExists(2, JsonPath.compile("$.v"), false);
        Check fast = Check.maxDuration(3, 5_000_000, "5ms");
        ResponseCapture nothing = respond(List.of(), List.of(status, header, absent, fast), MAX_BODY, 200, "");

        assertThat(List.of(status, header, absent)).noneMatch(check -> check.passes(-1, nothing, 1_000_000));
        assertThat(fast.passes(-1, nothing, 5_000_000)).isTrue();
        assertThat(fast.passes(-1, nothing, 5_000_001)).isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Step step(List<Capture> captures, List<Check> checks) {
        return Step.request("step", 0, 0, ANY_REQUEST, 1_000_000_000L, false, captures, checks);
    }

    /** Shows one response to a fresh capture for the step: head, headers, then the body in two reads. */
    private static ResponseCapture respond(List<Capture> captures, List<Check> checks, int maxBody, int status,
                                           String body, String... headers) {
        ResponseCapture response = new ResponseCapture(maxBody);
        response.begin(step(captures, checks), null);
        response.headStarted(status);
        for (String header : headers) {
            header(response, header);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (response.wantsBody() && bytes.length > 0) {
            int half = bytes.length / 2;
            byte[] padded = new byte[bytes.length + 4];
            System.arraycopy(bytes, 0, padded, 2, bytes.length);
            if (half > 0) {
                response.body(padded, 2, half);
            }
            response.body(padded, 2 + half, bytes.length - half);
        }
        return response;
    }

    /** One header line, given as regions of a larger buffer as the reader gives it. */
    private static void header(ResponseCapture response, String line) {
        byte[] bytes = ("HTTP/1.1 200 OK\r\n" + line + "\r\n").getBytes(StandardCharsets.UTF_8);
        int nameStart = "HTTP/1.1 200 OK\r\n".length();
        int colon = line.indexOf(':');
        int valueStart = nameStart + line.substring(0, colon + 2).getBytes(StandardCharsets.UTF_8).length;
        response.header(bytes, nameStart, nameStart + colon, valueStart, bytes.length - 2);
    }
}
