import dev.barrage.engine.*;
import dev.barrage.engine.recording.*;
import dev.barrage.engine.transport.*;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

public class EngineBench {
    public static void main(String[] args) throws Exception {
        HttpRequestSpec spec = new HttpRequestSpec("GET", URI.create("http://127.0.0.1:8099/fast"), Map.of(), null,
                Duration.ofSeconds(5), true, false);
        Transport transport = Http1Transport.create(spec);
        LoadEngine engine = new LoadEngine(NanoClock.SYSTEM);
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < 6; r++) {
            RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
            RunEnd end = engine.start(ClosedWorkload.constant(100, Duration.ofSeconds(4)), transport, recorder,
                    Thread.ofVirtual().factory()).completion().get();
            Summary s = new RunSampler(recorder).sample(end.elapsedNanos(), true).summary();
            if (r >= 2) out.append(String.format(" %.0f", s.throughput()));
        }
        System.out.println(out);
        System.exit(0);
    }
}
