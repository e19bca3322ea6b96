package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Only 127.0.0.1 is allowed: a test aimed at 127.0.0.2 is refused with 403 and nothing reaches it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "barrage.targets.allow=127.0.0.1")
class TargetAllowListEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void aTargetOutsideTheAllowListIsA403NamingTheSettingAndNothingIsSent() throws Exception {
        BarrageApi barrage = new BarrageApi(port);
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        other.accept().close();
                        accepted.incrementAndGet();
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });

            HttpResponse<String> refused = barrage.post("/tests", """
                    {"request": {"url": "http://127.0.0.2:%d/"}, "workload": {"concurrency": 1, "duration": "1s"}}"""
                    .formatted(other.getLocalPort()));
            HttpResponse<String> metadata = barrage.post("/tests", """
                    {"request": {"url": "http://169.254.169.254/latest/meta-data/"}, "workload": {"concurrency": 1, "duration": "1s"}}""");

            assertThat(refused.statusCode()).isEqualTo(403);
            JsonNode problem = barrage.json(refused);
            assertThat(problem.get("type").asString()).endsWith("/target-not-allowed");
            assertThat(problem.get("detail").asString()).contains("127.0.0.2").contains("barrage.targets.allow");
            assertThat(metadata.statusCode()).isEqualTo(403);
            assertThat(barrage.getJson("/tests").size()).isZero();
            assertThat(accepted.get()).isZero();
        }
    }
}
