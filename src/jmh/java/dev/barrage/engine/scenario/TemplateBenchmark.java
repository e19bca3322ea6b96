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
 * The per-request cost of expanding compiled templates into a reused buffer: a URL with a random
 * page and a JSON body with a data field, a capture and a UUID (the scenario issue's example).
 * Compilation happens once, in {@link #setUp()}, as it does at submission.
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
    private final ByteBuilder out = new ByteBuilder(256);
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
        body = Template.compile("{\"email\":\"{{data.email}}\",\"token\":\"{{token}}\",\"key\":\"{{$uuid}}\",\"it\":{{$iteration}}}",
                names);
    }

    @Benchmark
    public int urlWithARandomPage() {
        out.reset();
        url.expandInto(values, out);
        return out.length();
    }

    @Benchmark
    public int bodyWithDataCaptureAndUuid() {
        out.reset();
        body.expandInto(values, out);
        return out.length();
    }
}
