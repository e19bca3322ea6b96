import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.LoadRun;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.OpenWorkload;
import dev.barrage.engine.RunEnd;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSampler;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.StrayBytesListener;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The open-model dispatcher's hand-off rate with a no-op transport (bench/dispatch-handoff.sh runs it).
 *
 * <p>Drives the real engine ({@link LoadEngine}, so the real OpenModelRun: one platform dispatcher
 * thread, virtual-thread workers, the idle stack, the real {@link RunRecorder} sampled once a second
 * on an {@link AggregationLane} as the service does) with a {@link ConstantRate} pacer, through a
 * transport whose sessions answer 200 at once: no socket, no sleeping. Whatever rate the run then
 * falls short of is the generator's own ceiling: the dispatcher, the hand-off and the recording.
 *
 * <pre>
 *   java -cp HARNESS:target/classes:HdrHistogram.jar DispatchHandoffBench RATE SECONDS WARMUP_SECONDS [MAX_CONCURRENCY]
 * </pre>
 *
 * An uncounted warm-up run of WARMUP_SECONDS at the same rate (0: none), then the measured run of
 * SECONDS; prints one line of JSON about the measured run on stdout. The dispatcher's own CPU time
 * (and run-queue wait) is read on the dispatcher thread itself, from /proc/thread-self/schedstat, by
 * the clock the engine is given, at its reads past the end of the duration: before that the clock
 * adds one compare per read to System.nanoTime. The carriers' come from /proc/self/task/TID/schedstat
 * before and after the run. Linux only.
 * Public API of the engine only: nothing in src/main is changed for it.
 */
public class DispatchHandoffBench {

    private static final Exchange OK = Exchange.response(200, 100, 100);

    /** Sessions that answer 200 at once; counts the sessions (one per open-model worker). */
    static final class NoOpTransport implements Transport {
        final AtomicLong sessions = new AtomicLong();

        @Override
        public TransportSession openSession(StrayBytesListener strayBytes) {
            sessions.incrementAndGet();
            return new TransportSession() {
                @Override
                public Exchange execute() {
                    return OK;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * System.nanoTime, and once the time passed {@code endMark} (a moment at or before the run's
     * deadline), at each read by the dispatcher thread its own schedstat: its time on a CPU and its
     * time ready to run but waiting for one, since it started. Its last read is at the end of its
     * duration, and it ends right after (its thread, gone then, cannot be read from outside).
     */
    static final class MeteredClock implements NanoClock {
        private final long endMark;
        volatile long[] dispatcherSchedstat = {-1, -1};
        volatile long dispatcherSwitches = -1;

        MeteredClock(long endMark) {
            this.endMark = endMark;
        }

        @Override
        public long nanoTime() {
            long now = System.nanoTime();
            if (now - endMark >= 0) {
                Thread current = Thread.currentThread();
                if (!current.isVirtual() && current.getName().startsWith("barrage-dispatcher-")) {
                    dispatcherSchedstat = schedstat(Path.of("/proc/thread-self/schedstat"));
                    dispatcherSwitches = contextSwitches(Path.of("/proc/thread-self/status"));
                }
            }
            return now;
        }
    }

    public static void main(String[] args) throws Exception {
        double rate = Double.parseDouble(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int warmupSeconds = Integer.parseInt(args[2]);
        int maxConcurrency = args.length > 3 ? Integer.parseInt(args[3]) : 10_000; // the service's default
        try (AggregationLane lane = new AggregationLane(1)) {
            if (warmupSeconds > 0) {
                run(lane, rate, warmupSeconds, maxConcurrency);
            }
            System.gc();
            Thread.sleep(500);
            System.out.println(run(lane, rate, seconds, maxConcurrency));
        }
        System.exit(0);
    }

    private static String run(AggregationLane lane, double rate, int seconds, int maxConcurrency) throws Exception {
        long durationNanos = TimeUnit.SECONDS.toNanos(seconds);
        ConstantRate pacer = new ConstantRate(rate, durationNanos);
        OpenWorkload workload = new OpenWorkload(pacer, maxConcurrency);
        RunRecorder recorder = new RunRecorder(StatusRange.DEFAULT);
        RunSampler sampler = new RunSampler(recorder, new OpenPlan(pacer::hitsBefore, durationNanos));
        NoOpTransport transport = new NoOpTransport();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        long allocated0 = threads.getTotalThreadAllocatedBytes();
        Map<String, long[]> carriers0 = carrierSchedstats();
        long[] cpus0 = allowedCpuTicks();
        long[] machine0 = machineCpuTicks();
        long wall0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        MeteredClock clock = new MeteredClock(System.nanoTime() + durationNanos);
        LoadRun run = new LoadEngine(clock).start(workload, transport, recorder,
                Thread.ofVirtual().name("barrage-bench-", 0).factory()); // as RunService names its workers
        ScheduledFuture<?> ticks = lane.every(Duration.ofSeconds(1), () -> sampler.sample(run.elapsedNanos(), true));
        RunEnd end = run.completion().get(seconds + 60L, TimeUnit.SECONDS);
        long cpu1 = os.getProcessCpuTime();
        long wall1 = System.nanoTime();
        long[] cpus1 = allowedCpuTicks();
        long[] machine1 = machineCpuTicks();
        Map<String, long[]> carriers1 = carrierSchedstats();
        long allocated1 = threads.getTotalThreadAllocatedBytes();
        ticks.cancel(false);
        RunSnapshot snapshot;
        synchronized (sampler) { // a tick that already started finishes first
            snapshot = sampler.sample(end.elapsedNanos(), true);
        }
        Summary s = snapshot.summary();
        double lagMaxMs = 0;
        for (TimelinePoint point : snapshot.timeline()) {
            if (point.schedulerLagMs() != null) {
                lagMaxMs = Math.max(lagMaxMs, point.schedulerLagMs());
            }
        }
        long carrierRun = 0;
        long carrierWait = 0;
        long carrierSwitches = 0;
        for (Map.Entry<String, long[]> carrier : carriers1.entrySet()) {
            long[] before = carriers0.getOrDefault(carrier.getKey(), new long[3]);
            carrierRun += carrier.getValue()[0] - before[0];
            carrierWait += carrier.getValue()[1] - before[1];
            carrierSwitches += carrier.getValue()[2] - before[2];
        }
        long[] dispatcher = clock.dispatcherSchedstat;
        long planned = pacer.totalHits();
        String gcNames = String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
        return String.format(Locale.ROOT,
                "{\"rate\":%.0f,\"seconds\":%d,\"maxConcurrency\":%d,\"outcome\":\"%s\",\"planned\":%d,"
                        + "\"requests\":%d,\"dropped\":%d,\"delayed\":%d,\"connectDelayed\":%d,\"failures\":%d,"
                        + "\"achievedPerSecond\":%.1f,\"elapsedSeconds\":%.3f,"
                        + "\"latencyP50Ms\":%.3f,\"latencyP99Ms\":%.3f,\"latencyMaxMs\":%.3f,\"serviceP99Ms\":%.3f,"
                        + "\"schedulerLagMaxMs\":%.3f,\"workers\":%d,"
                        + "\"processCpuMs\":%.1f,\"dispatcherCpuMs\":%.1f,\"dispatcherWaitMs\":%.1f,"
                        + "\"carrierCpuMs\":%.1f,\"carrierWaitMs\":%.1f,\"carriers\":%d,"
                        + "\"dispatcherSwitches\":%d,\"carrierSwitches\":%d,"
                        + "\"cpusBusyMs\":%d,\"cpusIdleMs\":%d,\"cpusWallMs\":%.0f,\"cpus\":\"%s\","
                        + "\"machineIdleMs\":%d,\"machineWallMs\":%.0f,"
                        + "\"gcCount\":%d,\"gcMs\":%d,\"allocatedBytes\":%d,\"gc\":\"%s\","
                        + "\"availableProcessors\":%d,\"parallelism\":\"%s\",\"java\":\"%s\"}",
                rate, seconds, maxConcurrency, end.outcome(), planned,
                s.requests(), s.dropped(), s.delayed(), s.connectDelayed(), s.failures(),
                s.requests() / (double) seconds, end.elapsedNanos() / 1e9,
                s.latencyMs().p50(), s.latencyMs().p99(), s.latencyMs().max(), s.serviceTimeMs().p99(),
                lagMaxMs, transport.sessions.get(),
                (cpu1 - cpu0) / 1e6, dispatcher[0] / 1e6, dispatcher[1] / 1e6,
                carrierRun / 1e6, carrierWait / 1e6, carriers1.size(),
                clock.dispatcherSwitches, carrierSwitches,
                (cpus1[0] - cpus0[0]) * 10, (cpus1[1] - cpus0[1]) * 10, (wall1 - wall0) / 1e6 * cpus0[2], allowedCpus(),
                (machine1[0] - machine0[0]) * 10, (wall1 - wall0) / 1e6 * machine0[1],
                gcCount() - gcCount0, gcMillis() - gcMillis0, allocated1 - allocated0, gcNames,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"),
                System.getProperty("java.version"));
    }

    /**
     * Per virtual-thread carrier (ForkJoinPool-N-worker-M, "ForkJoinPool-N-" in /proc), by thread
     * id: its time on a CPU and its time waiting for one (ns, /proc/self/task/TID/schedstat), and
     * its context switches, voluntary and not (/proc/self/task/TID/status).
     */
    private static Map<String, long[]> carrierSchedstats() throws IOException {
        Map<String, long[]> stats = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("ForkJoinPool-")) {
                        long[] run = schedstat(task.resolve("schedstat"));
                        stats.put(task.getFileName().toString(),
                                new long[] {run[0], run[1], contextSwitches(task.resolve("status"))});
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return stats;
    }

    /** The CPUs this process may run on (taskset), as /proc/self/status lists them: "1", "0-1". */
    static String allowedCpus() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    /**
     * Busy and idle time of the CPUs this process may run on, whoever used them, in clock ticks
     * (USER_HZ, 100 a second on Linux) from /proc/stat, and how many CPUs that is. Their wall time
     * minus idle minus this JVM's own CPU is what other processes took from them on a shared machine
     * (idle, not busy: on the bench VM the busy ticks of a CPU that idles often miss up to a fifth of
     * its time, while busy + idle fall short of the wall time).
     */
    static long[] allowedCpuTicks() throws IOException {
        java.util.Set<String> allowed = new java.util.HashSet<>();
        for (String range : allowedCpus().split(",")) {
            String[] bounds = range.split("-");
            int from = Integer.parseInt(bounds[0]);
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
            for (int cpu = from; cpu <= to; cpu++) {
                allowed.add("cpu" + cpu);
            }
        }
        long busy = 0;
        long idle = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            String[] f = line.split(" +");
            if (allowed.contains(f[0])) { // user nice system idle iowait irq softirq steal ...
                busy += Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
                idle += Long.parseLong(f[4]) + Long.parseLong(f[5]);
            }
        }
        return new long[] {busy, idle, allowed.size()};
    }

    /** Idle ticks of all the machine's CPUs (/proc/stat), and how many CPUs it has. */
    static long[] machineCpuTicks() throws IOException {
        long idle = 0;
        long cpus = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            String[] f = line.split(" +");
            if (f[0].matches("cpu\\d+")) {
                idle += Long.parseLong(f[4]) + Long.parseLong(f[5]);
                cpus++;
            }
        }
        return new long[] {idle, cpus};
    }

    /** A status file's voluntary plus nonvoluntary context switches. */
    static long contextSwitches(Path status) {
        try {
            long switches = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return switches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A schedstat file's first two fields: ns on a CPU, ns runnable but waiting for one. */
    static long[] schedstat(Path file) {
        try {
            String[] fields = Files.readString(file).trim().split(" ");
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
