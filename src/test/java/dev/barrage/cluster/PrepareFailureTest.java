package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.ClusterNodes;
import dev.barrage.support.CountingTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A generator that cannot run its share fails the whole run before any node sends a request: here
 * the second node's allow-list refuses the target the first one allows.
 */
class PrepareFailureTest {

    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    @Test
    void aTargetRefusedOnOneNodeFailsTheRunBeforeAnyLoadIsSent() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.of(2); CountingTarget target = new CountingTarget(200, "ok")) {
            ConfigurableApplicationContext first = cluster.start(0);
            ConfigurableApplicationContext strict = cluster.start(1, "--barrage.targets.allow=::1");
            ClusterNodes.awaitMembers(2, JOIN_LIMIT, List.of(first, strict));
            BarrageApi api = ClusterNodes.api(first);

            String id = api.start("""
                    {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 200, "duration": "2s"}, "generators": 2}"""
                    .formatted(target.url()));
            JsonNode run = api.awaitEnd(id, RUN_LIMIT);

            assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("FAILED");
            String strictMember = ClusterNodes.member(strict);
            assertThat(run.path("failureReason").asString()).contains("generator 2 of 2 (" + strictMember + ")")
                    .contains("cannot run its share").contains("127.0.0.1");
            assertThat(run.path("startedAt").isNull()).isTrue();
            assertThat(run.path("summary").path("requests").asLong()).isZero();
            assertThat(run.path("warnings").toString()).contains("none of them applied load");
            Thread.sleep(500); // a request sent anyway would have arrived by now
            assertThat(target.received()).isZero();
            JsonNode atStrict = ClusterNodes.api(strict).awaitEnd(id, RUN_LIMIT);
            assertThat(atStrict.path("status").asString()).isEqualTo("FAILED");
            assertThat(atStrict.path("failureReason")).isEqualTo(run.path("failureReason"));

            String next = api.start("""
                    {"request": {"url": "%s"}, "workload": {"model": "open", "rate": 100, "duration": "1s"}}"""
                    .formatted(target.url()));
            assertThat(api.awaitEnd(next, RUN_LIMIT).path("status").asString())
                    .as("the slots the failed run took are free again").isEqualTo("COMPLETED");
        }
    }

    @Test
    void moreGeneratorsThanMembersIsRefusedAtOnce() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.of(2)) {
            ConfigurableApplicationContext only = cluster.start(0);
            BarrageApi api = ClusterNodes.api(only);

            var answer = api.post("/tests", """
                    {"request": {"url": "http://127.0.0.1:9/"}, "workload": {"model": "open", "rate": 10, "duration": "1s"},
                     "generators": 3}""");

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("generators").contains("3 generators asked for, but the cluster has 1 members");
        }
    }
}
