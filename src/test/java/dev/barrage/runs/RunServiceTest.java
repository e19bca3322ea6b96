package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.RunEnd;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.HttpRequestSpec;
import dev.barrage.engine.transport.TargetPolicy;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run service with a fake 2 ms target: cancellation at every stage of a run's life. */
class RunServiceTest {

    private final AggregationLane lane = new AggregationLane(1);
    private final RunService runs = new RunService(new LoadEngine(NanoClock.SYSTEM), RunServiceTest::twoMillisecondTarget,
            TargetPolicy.ANY, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 100), Clock.systemUTC());

    @AfterEach
    void stop() {
        runs.cancelAllAndWait(Duration.ofSeconds(5));
        lane.close();
    }

    @Test
    void aRunCancelledPartWayReportsHowMuchOfItsDurationItCoveredNotAll() throws Exception {
        Run run = runs.submit(closed("20s"));
        awaitRequests(run);

        Run cancelled = runs.cancel(run.id());
        cancelled.finished().get(10, TimeUnit.SECONDS);

        assertThat(cancelled.state().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.progress()).isGreaterThan(0.0).isLessThan(0.5);
    }

    @Test
    void aRunCancelledWhileQueuedCoveredNothingAndNeverStarts() throws Exception {
        Run running = runs.submit(closed("20s"));
        Run queued = runs.submit(closed("1s"));
        assertThat(queued.state().status()).isEqualTo(RunStatus.QUEUED);

        runs.cancel(queued.id());

        assertThat(queued.state().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(queued.progress()).isZero();
        assertThat(queued.state().startedAt()).isNull();
        runs.cancel(running.id());
    }

    @Test
    void whatRunsHoldIsBoundedTheOldestFinishedAreEvictedAndUnfinishedOnesCannotPassTheBudget() throws Exception {
        // each run with a 10,000-character body is estimated at about 30 KiB
        RunService bounded = new RunService(new LoadEngine(NanoClock.SYSTEM), RunServiceTest::twoMillisecondTarget,
                TargetPolicy.ANY, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 1000,
                16 * 1024, 80 * 1024), Clock.systemUTC());
        List<Run> finished = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Run run = bounded.submit(post("1s", 10_000));
            run.finished().get(30, TimeUnit.SECONDS);
            finished.add(run);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bounded.all().size() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(10); // eviction follows the finish on the lane
        }
        assertThat(bounded.all()).extracting(Run::id).containsExactly(finished.get(1).id(), finished.get(2).id());

        Run running = bounded.submit(post("20s", 10_000));
        Run queued = bounded.submit(post("1s", 10_000));
        assertThatThrownBy(() -> bounded.submit(post("1s", 10_000)))
                .isInstanceOf(RunQueueFullException.class).hasMessageContaining("barrage.limits.retained-bytes");
        bounded.cancel(queued.id());
        bounded.cancel(running.id());
    }

    @Test
    void aCancelThatArrivesBeforeTheLoadIsRecordedStopsTheLoadAsSoonAsItIs() {
        Run run = TestRuns.queued("r1", closed("1h"));
        StubLoad load = new StubLoad();

        assertThat(run.requestCancel()).as("nothing started yet to cancel").isNull();

        assertThat(run.started(Instant.now(), load)).as("the starter learns of the cancel").isTrue();
    }

    @Test
    void aCancelAfterTheLoadIsRecordedAnswersTheLoadToCancel() {
        Run run = TestRuns.queued("r2", closed("1h"));
        StubLoad load = new StubLoad();

        assertThat(run.started(Instant.now(), load)).isFalse();

        assertThat(run.requestCancel()).isSameAs(load);
    }

    /** A transport whose every exchange is a 200 after 2 ms. */
    private static Transport twoMillisecondTarget(HttpRequestSpec spec) {
        return strayBytes -> new TransportSession() {
            @Override
            public Exchange execute() {
                LockSupport.parkNanos(2_000_000);
                return Exchange.response(200, 10, 20);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aRunThatStartsAloneStartsAfterAFullCollectionAndOneBesideAnotherRunWithout() throws Exception {
        List<GarbageCollectorMXBean> fullCollectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(collector -> FULL_COLLECTORS.contains(collector.getName())).toList();
        assumeThat(fullCollectors).as("a collector whose full collections this test knows by name").isNotEmpty();
        RunService twoAtOnce = new RunService(new LoadEngine(NanoClock.SYSTEM), RunServiceTest::twoMillisecondTarget,
                TargetPolicy.ANY, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 2, 20, 100),
                Clock.systemUTC());
        try {
            long before = fullCollections(fullCollectors);
            Run alone = twoAtOnce.submit(closed("20s"));
            long afterTheFirst = fullCollections(fullCollectors);
            Run beside = twoAtOnce.submit(closed("20s"));
            long afterTheSecond = fullCollections(fullCollectors);

            assertThat(alone.state().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(beside.state().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(afterTheFirst).as("collected before the run that starts alone").isGreaterThan(before);
            assertThat(afterTheSecond).as("no pause for the run under way").isEqualTo(afterTheFirst);
        } finally {
            twoAtOnce.cancelAllAndWait(Duration.ofSeconds(5));
        }
    }

    /** The collectors of the whole heap: Serial's, Parallel's and G1's, by the names the JVM gives them. */
    private static final Set<String> FULL_COLLECTORS = Set.of("MarkSweepCompact", "PS MarkSweep", "G1 Old Generation");

    private static long fullCollections(List<GarbageCollectorMXBean> collectors) {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void aRunOnAMachineWhoseHypervisorTookItsCpuSaysHowMuchAndWhatItMeans() throws Exception {
        assertThat(warningsOfARunWhile(new HostCpu.CpuTimes(10_000, 1_000), new HostCpu.CpuTimes(12_000, 1_600)))
                .anyMatch(warning -> warning.startsWith("During the run the hypervisor gave 30.0% of this machine's CPU time"
                        + " to other machines (steal time, /proc/stat)"));
    }

    @Test
    void aLittleStealOrAMachineThatDoesNotSayGivesNoWarning() throws Exception {
        assertThat(warningsOfARunWhile(new HostCpu.CpuTimes(10_000, 1_000), new HostCpu.CpuTimes(12_000, 1_080)))
                .noneMatch(warning -> warning.contains("hypervisor"));
        assertThat(warningsOfARunWhile(null, null)).noneMatch(warning -> warning.contains("hypervisor"));
    }

    @Test
    void aGeneratorsShareSaysInItsLastMessageHowMuchCpuItsMachineLostToSteal() throws Exception {
        java.util.Iterator<HostCpu.CpuTimes> readings = List.of(new HostCpu.CpuTimes(10_000, 1_000),
                new HostCpu.CpuTimes(12_000, 1_400)).iterator();
        RunService service = new RunService(new LoadEngine(NanoClock.SYSTEM), RunServiceTest::twoMillisecondTarget,
                TargetPolicy.ANY, RunStore.NONE, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 100),
                Clock.systemUTC(), readings::next);
        List<NodeShipment> shipped = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket probed = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // 3 s: the share ships its intervals once a second, so messages come before the last one
            Run run = TestRuns.queued("abcdefabcdef", closedAt("http://127.0.0.1:" + probed.getLocalPort() + "/", "3s"));
            assertThat(service.prepareShare(run, 1, 1, (id, shipment) -> shipped.add(shipment))).isNull();
            assertThat(service.startShare(run.id(), System.nanoTime())).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shipped.isEmpty() || !shipped.getLast().last()) {
                assertThat(System.nanoTime()).as("the share's last message within 10 s").isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        assertThat(shipped.getLast().stealShare()).isEqualTo(0.2);
        assertThat(shipped.subList(0, shipped.size() - 1)).isNotEmpty().extracting(NodeShipment::stealShare)
                .containsOnlyNulls();
        assertThat(readings.hasNext()).as("read at the share's start and at its end").isFalse();
    }

    /** The warnings of a 1 s run on a machine whose CPU count reads {@code atStart}, then {@code atEnd}. */
    private List<String> warningsOfARunWhile(HostCpu.CpuTimes atStart, HostCpu.CpuTimes atEnd) throws Exception {
        java.util.Iterator<HostCpu.CpuTimes> readings = java.util.Arrays.asList(atStart, atEnd).iterator();
        RunService service = new RunService(new LoadEngine(NanoClock.SYSTEM), RunServiceTest::twoMillisecondTarget,
                TargetPolicy.ANY, RunStore.NONE, lane, List.of(), new RunLimits(10_000, 100_000, Duration.ofHours(1), 1, 20, 100),
                Clock.systemUTC(), readings::next);
        Run run = service.submit(closed("1s"));
        run.finished().get(10, TimeUnit.SECONDS);
        assertThat(readings.hasNext()).as("read at the start and at the end").isFalse();
        return run.state().warnings();
    }

    private static TestDefinition post(String duration, int bodyChars) {
        return new TestDefinition(null, new RequestDefinition("POST", "http://127.0.0.1:9/", null, "x".repeat(bodyChars), null, null, null),
                new WorkloadDefinition(null, 1, null, Durations.parse(duration), null, null, null), null, null, null);
    }

    private static TestDefinition closed(String duration) {
        return closedAt("http://127.0.0.1:9/", duration);
    }

    private static TestDefinition closedAt(String url, String duration) {
        return new TestDefinition(null, new RequestDefinition(null, url, null, null, null, null, null),
                new WorkloadDefinition(null, 1, null, Durations.parse(duration), null, null, null), null, null, null);
    }

    private static void awaitRequests(Run run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (run.state().snapshot().summary().requests() == 0) {
            assertThat(System.nanoTime()).as("no request recorded within 10 s").isLessThan(deadline);
            Thread.sleep(50); // the live summary is sampled once a second
        }
    }

    private static final class StubLoad implements LoadRun {
        @Override
        public void cancel() {
        }

        @Override
        public CompletableFuture<RunEnd> completion() {
            return new CompletableFuture<>();
        }

        @Override
        public long elapsedNanos() {
            return 0;
        }

        @Override
        public double progress() {
            return 0;
        }
    }
}
