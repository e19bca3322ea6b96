package dev.barrage.engine.scenario;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of scenario steps: expanding compiled templates into a reused buffer (a URL
 * with a random page, a JSON body with a data field, a capture and a UUID, a whole POST request),
 * and capturing one value from a response by streaming to its JSON path or by a regular expression. Compilation happens once, in {@link #setUp()}, as
 * it does at submission.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TemplateBenchmark {

    private Template url;
    private Template body;
    private JsonPath tokenPath;
    private JsonPath lastIdPath;
    private byte[] loginAnswer;
    private RequestTemplate orderRequest;
    private Capture regexToken;
    private final ResponseCapture response = new ResponseCapture(64 * 1024);
    private final ByteBuilder out = new ByteBuilder(256);
    private final ByteBuilder bodyScratch = new ByteBuilder(256);
    private final Template.Values values = new Template.Values() {
        private final SplittableRandom random = new SplittableRandom(7);
        private long iteration;

        @Override
        public String data(int field) {
            return "a@example.test";
        }

        @Override
        public String capture(int index) {
            return "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig";
        }

        @Override
        public int vu() {
            return 17;
        }

        @Override
        public long iteration() {
            return iteration++;
        }

        @Override
        public SplittableRandom random() {
            return random;
        }

        @Override
        public long epochMillis() {
            return 1_764_633_600_000L;
        }
    };

    @Setup
    public void setUp() {
        Template.Names names = new Template.Names(Map.of("base", "http://127.0.0.1:8081"), List.of("email"), List.of("token"));
        url = Template.compile("{{base}}/items?page={{$randomInt(1,50)}}", names);
        tokenPath = JsonPath.compile("$.token");
        lastIdPath = JsonPath.compile("$.items[19].id");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            items.append(i == 0 ? "" : ",").append("{\"id\":").append(1000 + i).append(",\"name\":\"item ").append(i)
                    .append("\",\"tags\":[\"a\",\"b\"],\"price\":12.5}");
        }
        loginAnswer = ("{\"user\":{\"id\":17,\"roles\":[\"buyer\"]},\"items\":[" + items
                + "],\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body = Template.compile("{\"email\":\"{{data.email}}\",\"token\":\"{{token}}\",\"key\":\"{{$uuid}}\",\"it\":{{$iteration}}}",
                names);
        orderRequest = new RequestTemplate("POST", Template.compile("/orders", names), "127.0.0.1:8081",
                List.of(new RequestTemplate.Header("Content-Type", Template.compile("application/json", names)),
                        new RequestTemplate.Header("Authorization", Template.compile("Bearer {{token}}", names)),
                        new RequestTemplate.Header("Idempotency-Key", Template.compile("{{$uuid}}", names))),
                Template.compile("{\"qty\":1,\"vu\":{{$vu}}}", names), true, true);
        regexToken = Capture.regex("token", 0, 0, java.util.regex.Pattern.compile("\"token\":\"([^\"]+)\""));
        Step step = Step.request("login", 0, 0, orderRequest, 1_000_000_000L, false, List.of(regexToken), List.of());
        response.begin(step, null);
        response.headStarted(200);
        response.body(loginAnswer, 0, loginAnswer.length);
    }

    /** A whole POST with three headers (two templated), a templated body and its Content-Length. */
    @Benchmark
    public int wholeOrderRequest() {
        orderRequest.encode(values, null, out, bodyScratch);
        return out.length();
    }

    /** The token by a regular expression compiled at submission, over the 1.2 KB body without decoding it. */
    @Benchmark
    public String regexCaptureOfTheToken() {
        return regexToken.extract(response);
    }

    @Benchmark
    public int urlWithARandomPage() {
        out.reset();
        url.expandInto(values, out);
        return out.length();
    }

    /** A ~1.2 KB answer whose token comes after an object and a 20-element array that are skipped. */
    @Benchmark
    public String captureTheTokenAfterEverythingElse() {
        return tokenPath.find(loginAnswer, loginAnswer.length);
    }

    @Benchmark
    public String captureTheLastItemsId() {
        return lastIdPath.find(loginAnswer, loginAnswer.length);
    }

    @Benchmark
    public int bodyWithDataCaptureAndUuid() {
        out.reset();
        body.expandInto(values, out);
        return out.length();
    }
}
