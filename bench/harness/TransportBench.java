import dev.barrage.engine.transport.*;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

public class TransportBench {
    static volatile boolean stop;
    public static void main(String[] args) throws Exception {
        int secs = Integer.parseInt(args[0]);
        HttpRequestSpec spec = new HttpRequestSpec("GET", URI.create("http://127.0.0.1:8099/fast"), Map.of(), null,
                Duration.ofSeconds(5), true, false);
        Transport transport = Http1Transport.create(spec);
        AtomicLong count = new AtomicLong();
        for (int i = 0; i < 100; i++) {
            Thread.ofVirtual().start(() -> {
                try (TransportSession s = transport.openSession()) {
                    while (!stop) { if (s.execute().status() == 200) count.incrementAndGet(); }
                } catch (InterruptedException e) { }
            });
        }
        Thread.sleep(12000);
        for (int r = 0; r < 4; r++) {
            long c0 = count.get(); long t0 = System.nanoTime();
            Thread.sleep(secs * 1000L);
            long c1 = count.get(); long t1 = System.nanoTime();
            System.out.printf("%.0f%n", (c1 - c0) / ((t1 - t0) / 1e9));
        }
        stop = true;
        System.exit(0);
    }
}
