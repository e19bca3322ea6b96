package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.transport.TargetPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** No stored file, however broken, stops start-up; start-up reads only what retention keeps. */
class JsonFileRunStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MAX_FILE_BYTES = 64 * 1024;

    @TempDir
    Path directory;

    private JsonFileRunStore store() {
        return new JsonFileRunStore(directory, JSON, MAX_FILE_BYTES);
    }

    private static Run finished(String id) {
        TestDefinition definition = new TestDefinition(null,
                new RequestDefinition(null, "http://127.0.0.1:9/", null, null, null, null, null),
                new WorkloadDefinition(null, 1, null, Duration.ofSeconds(1), null, null, null), null, List.of("p99 < 1s"), null);
        return TestRuns.finished(id, definition, RunStatus.COMPLETED);
    }

    /** A good file of run {@code id}, edited by {@code breaking} (null: left good). */
    private Path stored(String id, java.util.function.Consumer<ObjectNode> breaking) throws IOException {
        store().save(finished(id));
        Path file = directory.resolve(id + ".json");
        if (breaking != null) {
            ObjectNode node = (ObjectNode) JSON.readTree(file.toFile());
            breaking.accept(node);
            Files.writeString(file, JSON.writeValueAsString(node));
        }
        return file;
    }

    @Test
    void aDistributedRunKeepsItsNodesAcrossARestartAndExportsNoShareOfItAfterwards() {
        Run run = TestRuns.queued("dddddddddddd", new TestDefinition(null,
                new RequestDefinition(null, "http://127.0.0.1:9/", null, null, null, null, null),
                new WorkloadDefinition(null, 3, null, Duration.ofSeconds(1), null, null, null), null, List.of(), null));
        Distribution distribution = new Distribution("10.0.0.1:5701", List.of(
                new Distribution.NodeStatus("10.0.0.1:5701", "0:1/2", "completed", 0.25, 1, 40, false),
                new Distribution.NodeStatus("10.0.0.2:5701", "1/2:1", "lost", null, 0, 0, true)), 1, 0.5);
        run.describe(distribution);
        run.finish(RunStatus.COMPLETED, TestRuns.CREATED_AT.plusSeconds(2), null, run.state().snapshot(), List.of());
        store().save(run);

        List<StoredRun> loaded = store().load(10, Long.MAX_VALUE);
        Run restored = Run.restored(loaded.getFirst(), TestRuns.CREATED_AT.plusSeconds(5));

        assertThat(restored.state().distribution()).isEqualTo(distribution);
        assertThat(restored.distributed()).isTrue();
        assertThat(restored.coordinatedHere()).isFalse();
        assertThat(restored.localShare()).as("no share of it was applied by this node since the restart").isNull();
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("the JSON literal null", "null"),
                Arguments.of("only a version", "{\"version\":1}"),
                Arguments.of("not JSON at all", "\u0000\u0001garbage{"),
                Arguments.of("an empty file", ""),
                Arguments.of("a JSON array", "[1,2,3]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aFileThatIsNotARunIsSetAsideAndTheOthersLoad(String name, String content) throws IOException {
        stored("aaaaaaaaaaa1", null);
        Files.writeString(directory.resolve("bbbbbbbbbbb2.json"), content, StandardCharsets.UTF_8);

        List<StoredRun> loaded = store().load(100, Long.MAX_VALUE);

        assertThat(loaded).extracting(StoredRun::id).containsExactly("aaaaaaaaaaa1");
        assertThat(directory.resolve("rejected/bbbbbbbbbbb2.json")).exists();
        assertThat(directory.resolve("bbbbbbbbbbb2.json")).doesNotExist();
    }

    static Stream<Arguments> incompleteRuns() {
        return Stream.<Arguments>of(
                Arguments.of("no state", (java.util.function.Consumer<ObjectNode>) node -> node.remove("state")),
                Arguments.of("state.status null", (java.util.function.Consumer<ObjectNode>) node -> ((ObjectNode) node.get("state")).putNull("status")),
                Arguments.of("definition null", (java.util.function.Consumer<ObjectNode>) node -> node.putNull("definition")),
                Arguments.of("snapshot null", (java.util.function.Consumer<ObjectNode>) node -> ((ObjectNode) node.get("state")).putNull("snapshot")),
                Arguments.of("an id that is not a run id", (java.util.function.Consumer<ObjectNode>) node -> node.put("id", "../../etc/passwd")),
                Arguments.of("a future version", (java.util.function.Consumer<ObjectNode>) node -> node.put("version", 2)),
                Arguments.of("a threshold that does not parse", (java.util.function.Consumer<ObjectNode>) node ->
                        ((ObjectNode) node.get("definition")).putArray("thresholds").add("p99 <")),
                Arguments.of("an unknown status", (java.util.function.Consumer<ObjectNode>) node -> ((ObjectNode) node.get("state")).put("status", "PAUSED")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompleteRuns")
    void aRunMissingWhatTheApiNeedsIsSetAside(String name, java.util.function.Consumer<ObjectNode> breaking) throws IOException {
        stored("aaaaaaaaaaa1", null);
        stored("bbbbbbbbbbb2", breaking);

        List<StoredRun> loaded = store().load(100, Long.MAX_VALUE);

        assertThat(loaded).extracting(StoredRun::id).containsExactly("aaaaaaaaaaa1");
        assertThat(directory.resolve("rejected/bbbbbbbbbbb2.json")).exists();
    }

    @Test
    void aFileLargerThanAnyRunIsSetAsideUnread() throws IOException {
        Files.writeString(directory.resolve("cccccccccccc.json"), "{\"version\":1,\"pad\":\"" + "x".repeat((int) MAX_FILE_BYTES) + "\"}");

        assertThat(store().load(100, Long.MAX_VALUE)).isEmpty();
        assertThat(directory.resolve("rejected/cccccccccccc.json")).exists();
    }

    @Test
    void aSecondFileForTheSameRunIsSetAsideAndTheNewerKept() throws IOException {
        Path older = stored("aaaaaaaaaaa1", null);
        Files.copy(older, directory.resolve("copy.json"));
        Files.setLastModifiedTime(older, FileTime.from(Instant.now().minusSeconds(60)));

        List<StoredRun> loaded = store().load(100, Long.MAX_VALUE);

        assertThat(loaded).hasSize(1);
        assertThat(directory.resolve("copy.json")).exists();
        assertThat(directory.resolve("rejected/aaaaaaaaaaa1.json")).exists();
    }

    @Test
    void startUpReadsOnlyTheNewestRunsRetentionKeepsAndDeletesTheRest() throws IOException {
        Instant now = Instant.now();
        for (int i = 0; i < 30; i++) {
            Path file = stored(String.format("%012x", i), null);
            Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(100 - i))); // i = 29 is the newest
        }

        List<StoredRun> loaded = store().load(5, Long.MAX_VALUE);

        assertThat(loaded).extracting(StoredRun::id)
                .containsExactlyInAnyOrder("00000000001d", "00000000001c", "00000000001b", "00000000001a", "000000000019");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.filter(file -> file.toString().endsWith(".json"))).hasSize(5);
        }
    }

    @Test
    void startUpReadsNoMoreThanTheRetainedBytesBudgetHoldsAndDeletesTheOlderRuns() throws IOException {
        Instant now = Instant.now();
        for (int i = 0; i < 6; i++) {
            Path file = stored(String.format("%012x", i), node -> ((ObjectNode) node.get("definition")).put("name", "n".repeat(20_000)));
            Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(100 - i))); // i = 5 is the newest
        }
        long oneRun = 2 * Files.size(directory.resolve("000000000005.json"));

        List<StoredRun> loaded = store().load(100, 2 * oneRun + oneRun / 2);

        assertThat(loaded).extracting(StoredRun::id).containsExactlyInAnyOrder("000000000005", "000000000004");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.filter(file -> file.toString().endsWith(".json"))).hasSize(2);
        }
    }

    @Test
    void aRunEvictedFromTheRetainedRunsTakesItsFileWithIt() throws Exception {
        AggregationLane lane = new AggregationLane(1);
        try {
            RunService service = new RunService(new LoadEngine(NanoClock.SYSTEM), spec -> strayBytes -> new dev.barrage.engine.transport.TransportSession() {
                @Override
                public dev.barrage.engine.transport.Exchange execute() {
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    return dev.barrage.engine.transport.Exchange.response(200, 1, 1);
                }

                @Override
                public void close() {
                }
            }, TargetPolicy.ANY, store(), lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 1),
                    Clock.systemUTC());
            Run first = service.submit(finished("unused").definition());
            Run second = service.submit(finished("unused").definition());
            second.finished().get(30, java.util.concurrent.TimeUnit.SECONDS);
            first.finished().get(30, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (service.all().size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10); // eviction follows the finish on the lane
            }

            assertThat(service.all()).extracting(Run::id).containsExactly(second.id());
            assertThat(directory.resolve(second.id() + ".json")).exists();
            assertThat(directory.resolve(first.id() + ".json")).doesNotExist();
        } finally {
            lane.close();
        }
    }

    @Test
    void aRunInProgressAtACrashComesBackFailedWithItsCheckpointAndOlderRunsBeyondRetentionAreDeleted() throws Exception {
        JsonFileRunStore store = store();
        for (String id : List.of("aaaaaaaaaaa1", "aaaaaaaaaaa2", "aaaaaaaaaaa3")) {
            stored(id, null);
        }
        stored("aaaaaaaaaaa4", node -> ((ObjectNode) node.get("state")).put("status", "RUNNING").putNull("finishedAt"));
        Files.setLastModifiedTime(directory.resolve("aaaaaaaaaaa1.json"), FileTime.from(Instant.now().minusSeconds(60)));

        AggregationLane lane = new AggregationLane(1);
        try {
            RunService service = new RunService(new LoadEngine(NanoClock.SYSTEM), spec -> strayBytes -> null, TargetPolicy.ANY,
                    store, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 3), Clock.systemUTC());

            assertThat(service.all()).extracting(Run::id).containsExactlyInAnyOrder("aaaaaaaaaaa2", "aaaaaaaaaaa3", "aaaaaaaaaaa4");
            Run crashed = service.get("aaaaaaaaaaa4");
            assertThat(crashed.state().status()).isEqualTo(RunStatus.FAILED);
            assertThat(crashed.state().finishedAt()).isNotNull();
            assertThat(crashed.state().warnings()).anyMatch(w -> w.contains("The service stopped while this run was RUNNING"));
            assertThat(crashed.state().verdict()).isEqualTo(Verdict.FAILED); // no request recorded: nothing was shown to hold
            assertThat(directory.resolve("aaaaaaaaaaa1.json")).as("beyond retention at start-up").doesNotExist();
            assertThat(JSON.readTree(directory.resolve("aaaaaaaaaaa4.json").toFile()).get("state").get("status").asString())
                    .isEqualTo("FAILED");
        } finally {
            lane.close();
        }
    }
}
