package dev.barrage.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiler threads' CPU time, read from a task directory laid out as Linux's /proc/PID/task. */
class CompilerCpuTest {

    @TempDir
    Path tasks;

    private void thread(String tid, String name, long schedstatNanos) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(tid));
        Files.writeString(dir.resolve("comm"), name + "\n");
        Files.writeString(dir.resolve("schedstat"), schedstatNanos + " 5000 12\n");
    }

    @Test
    void countsOnlyTheCompilerThreadsSinceItWasMade() throws IOException {
        thread("101", "C2 CompilerThre", 900_000_000);
        thread("102", "C1 CompilerThre", 400_000_000);
        thread("103", "barrage-loop-0", 7_000_000_000L);
        thread("104", "JVMCI CompilerT", 10_000_000); // Graal as the JIT
        CompilerCpu cpu = new CompilerCpu(tasks);
        assertThat(cpu.getAsLong()).isZero();

        thread("101", "C2 CompilerThre", 925_000_000);
        thread("102", "C1 CompilerThre", 403_500_000);
        thread("103", "barrage-loop-0", 9_000_000_000L);
        thread("104", "JVMCI CompilerT", 20_000_000);
        assertThat(cpu.getAsLong()).isEqualTo(25 + 3 + 10); // 38.5 ms, whole milliseconds
        thread("102", "C1 CompilerThre", 404_000_000);
        assertThat(cpu.getAsLong()).isEqualTo(39);
    }

    @Test
    void aCompilerThreadThatEndsKeepsItsTimeAndOneThatStartsCountsFromItsStart() throws IOException {
        thread("101", "C2 CompilerThre", 900_000_000);
        CompilerCpu cpu = new CompilerCpu(tasks);
        thread("101", "C2 CompilerThre", 950_000_000);
        assertThat(cpu.getAsLong()).isEqualTo(50);

        Files.walk(tasks.resolve("101")).sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        thread("104", "C2 CompilerThre", 30_000_000); // HotSpot added a compiler thread while its queue was long
        assertThat(cpu.getAsLong()).isEqualTo(80);

        thread("101", "C1 CompilerThre", 2_000_000); // a new thread given the ended one's id
        assertThat(cpu.getAsLong()).isEqualTo(82);
    }

    @Test
    void readsClockTicksFromStatWhereTheKernelKeepsNoSchedstat() throws IOException {
        Path dir = Files.createDirectories(tasks.resolve("201"));
        Files.writeString(dir.resolve("comm"), "C2 CompilerThre\n");
        CompilerCpu cpu = new CompilerCpu(tasks);
        // fields 14 and 15 (utime 30, stime 4 ticks of 10 ms), after a name with spaces and a parenthesis
        Files.writeString(dir.resolve("stat"),
                "201 (C2 Compiler) x) S 1 1 1 0 -1 4194368 0 0 0 0 30 4 0 0 20 0 40 0 100 0 0\n");
        assertThat(cpu.getAsLong()).isEqualTo(340);
    }

    @Test
    void aThreadWhoseFilesAreNotInTheKnownFormatCountsNothingAndSpoilsNoOther() throws IOException {
        thread("101", "C2 CompilerThre", 100_000_000);
        Path odd = Files.createDirectories(tasks.resolve("102"));
        Files.writeString(odd.resolve("comm"), "C1 CompilerThre\n");
        Files.writeString(odd.resolve("schedstat"), "not-a-number\n");
        CompilerCpu cpu = new CompilerCpu(tasks);
        thread("101", "C2 CompilerThre", 120_000_000);
        assertThat(cpu.getAsLong()).isEqualTo(20);
    }

    @Test
    void withoutATaskDirectoryItCountsNothing() {
        assertThat(new CompilerCpu(tasks.resolve("missing")).getAsLong()).isZero();
    }

    @Test
    void onLinuxItReadsThisJvmsCompilerThreads() {
        assumeThat(Path.of("/proc/self/task")).isDirectory();
        LongSupplier cpu = CompilerCpu.ofThisJvm();
        assertThat(cpu).isInstanceOf(CompilerCpu.class); // this JVM has C1 and C2 threads to read
        long before = cpu.getAsLong();
        long sum = 0;
        for (int round = 0; round < 200 && cpu.getAsLong() == before; round++) {
            sum += compileSomething(round); // new code for the JIT until its threads have used a millisecond
        }
        assertThat(cpu.getAsLong()).as("after %s", sum).isGreaterThan(before);
    }

    private static long compileSomething(int seed) {
        long acc = seed;
        for (int i = 0; i < 200_000; i++) {
            acc += Long.rotateLeft(acc ^ i, i & 31) * 31 + (i % 7 == seed % 7 ? i : -i);
        }
        return acc;
    }
}
