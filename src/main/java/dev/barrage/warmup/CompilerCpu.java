package dev.barrage.warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The CPU time this JVM's JIT compiler threads have used since this was made, in milliseconds: what
 * compiling took from the cores, which is what a run would compete with, counted while it happens.
 * The JVM's own figure ({@link CompilationMXBean#getTotalCompilationTime()}) is the wall time of the
 * compilations that ended, added when each ends and only when it succeeded: a long C2 compilation
 * under way shows nothing until it is done, and a core shared with the warm-up's load, other
 * processes or other machines (steal) stretches what does show (docs/performance.md, "The warm-up
 * counts the compilers' CPU").
 *
 * <p>On Linux it reads {@code /proc/self/task}: every thread the kernel names {@code C1 CompilerThre},
 * {@code C2 CompilerThre} or {@code JVMCI CompilerT} (HotSpot's compiler threads, their names cut to
 * 15 characters), its time on a CPU from {@code schedstat} (nanoseconds), or from {@code stat} (clock
 * ticks) where the kernel keeps no schedstat. HotSpot starts and ends compiler threads as its queue
 * grows and shrinks: a thread that ends keeps what it had used when last read, one that starts counts
 * from its start, so the total never decreases. Where there is no {@code /proc}, {@link #ofThisJvm()}
 * falls back to the JVM's figure.
 *
 * <p>Thread-safety: not thread-safe; the warm-up reads it from its one thread.
 */
final class CompilerCpu implements LongSupplier {

    /** In the names the kernel keeps (15 characters) of HotSpot's C1, C2 and JVMCI compiler threads. */
    private static final String COMPILER_THREAD = "CompilerT";
    /** USER_HZ, the unit of the tick counts in /proc's stat files on every Linux architecture Java runs on. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final Path tasks;
    private final Map<String, Long> lastNanosByThread = new HashMap<>();
    private long usedNanos;

    /** @param tasks a process's task directory, such as {@code /proc/self/task}; what it holds now is the baseline */
    CompilerCpu(Path tasks) {
        this.tasks = tasks;
        for (Map.Entry<String, Long> thread : compilerThreadNanos().entrySet()) {
            lastNanosByThread.put(thread.getKey(), thread.getValue());
        }
    }

    /** The compiler threads' CPU time from /proc where this JVM has it, the JVM's compile time otherwise. */
    static LongSupplier ofThisJvm() {
        Path tasks = Path.of("/proc/self/task");
        CompilerCpu fromProc = new CompilerCpu(tasks);
        if (!fromProc.lastNanosByThread.isEmpty()) {
            return fromProc;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return () -> 0; // no JIT (-Xint), or nothing that tells: the warm-up ends after one round
        }
        long atStart = jit.getTotalCompilationTime();
        return () -> jit.getTotalCompilationTime() - atStart;
    }

    /** Milliseconds of CPU the compiler threads used since this was made. */
    @Override
    public long getAsLong() {
        for (Map.Entry<String, Long> thread : compilerThreadNanos().entrySet()) {
            long now = thread.getValue();
            Long last = lastNanosByThread.put(thread.getKey(), now);
            // a lower figure than last time is a new thread that was given an ended one's id
            usedNanos += last == null || now < last ? now : now - last;
        }
        return usedNanos / 1_000_000;
    }

    private Map<String, Long> compilerThreadNanos() {
        Map<String, Long> nanosByThread = new HashMap<>();
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                if (isCompiler(thread)) {
                    cpuNanos(thread).ifPresent(nanos -> nanosByThread.put(thread.getFileName().toString(), nanos));
                }
            }
        } catch (IOException | UncheckedIOException | DirectoryIteratorException noTasks) {
            // no /proc: nothing read, nothing counted
        }
        return nanosByThread;
    }

    private static boolean isCompiler(Path thread) {
        List<String> comm = readLines(thread.resolve("comm"));
        return !comm.isEmpty() && comm.getFirst().contains(COMPILER_THREAD);
    }

    /** Empty when the thread ended between the listing and the read, or its files are not in the format known here. */
    private static OptionalLong cpuNanos(Path thread) {
        try {
            return cpuNanosOf(thread);
        } catch (RuntimeException unknownFormat) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong cpuNanosOf(Path thread) {
        List<String> schedstat = readLines(thread.resolve("schedstat"));
        if (!schedstat.isEmpty()) {
            return OptionalLong.of(Long.parseLong(schedstat.getFirst().strip().split(" ")[0]));
        }
        List<String> stat = readLines(thread.resolve("stat"));
        if (stat.isEmpty()) {
            return OptionalLong.empty();
        }
        // the name, field 2, is in parentheses and may hold spaces: count fields after its closing one
        String line = stat.getFirst();
        String[] afterName = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(afterName[11]); // field 14
        long stime = Long.parseLong(afterName[12]); // field 15
        return OptionalLong.of((utime + stime) * NANOS_PER_TICK);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException gone) {
            return List.of();
        }
    }
}
