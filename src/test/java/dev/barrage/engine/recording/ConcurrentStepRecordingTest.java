package dev.barrage.engine.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.transport.Exchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Every virtual user records its requests into its step's histograms at once. If two writers can
 * get stuck there, the run never ends and the stuck thread spins for good (an interrupt does not
 * reach it), so the probe runs in a JVM of its own that the test can always end.
 */
class ConcurrentStepRecordingTest {

    private static final int WRITERS = 4;
    private static final int VALUES_PER_WRITER = 500;
    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long STUCK_AFTER_SECONDS = 2;
    private static final int STUCK = 3;

    @Test
    void writersRecordingOneStepAtOnceNeverGetStuckAndEveryRequestIsCounted() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        boolean ended = probe.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            probe.destroyForcibly().waitFor();
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ended).as("the probe ended by itself: %s", output).isTrue();
        assertThat(probe.exitValue()).as("the probe's report: %s", output).isZero();
        assertThat(output).contains("every request counted");
    }

    /**
     * Rounds of writers recording widely spread latencies into step 0 of a fresh recorder (the
     * first records of a step grow its histograms, where writers meet); exits {@value #STUCK} with
     * the stuck writers' stacks when a round does not finish.
     */
    static final class Probe {

        public static void main(String[] args) throws Exception {
            CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
            CyclicBarrier end = new CyclicBarrier(WRITERS + 1);
            RunRecorder[] current = new RunRecorder[1];
            Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                long seed = w;
                writers[w] = Thread.ofPlatform().daemon().name("writer-" + w).start(() -> write(start, end, current, seed));
            }
            long deadline = System.nanoTime() + PROBE_NANOS;
            int rounds = 0;
            while (System.nanoTime() - deadline < 0) {
                RunRecorder recorder = new RunRecorder(List.of(StatusRange.DEFAULT, StatusRange.DEFAULT), 0);
                current[0] = recorder;
                start.await();
                try {
                    end.await(STUCK_AFTER_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException | BrokenBarrierException e) {
                    System.out.println("round " + rounds + " did not finish in " + STUCK_AFTER_SECONDS + " s:");
                    for (Thread writer : writers) {
                        System.out.println(writer.getName() + " " + writer.getState());
                        for (StackTraceElement frame : writer.getStackTrace()) {
                            System.out.println("    at " + frame);
                        }
                    }
                    System.exit(STUCK);
                }
                long counted = new RunSampler(recorder, null, layout()).sample(1, true).summary().steps().get("a").requests();
                if (counted != (long) WRITERS * VALUES_PER_WRITER) {
                    System.out.println("round " + rounds + " counted " + counted + " requests");
                    System.exit(1);
                }
                rounds++;
            }
            System.out.println(rounds + " rounds, every request counted");
            System.exit(0);
        }

        private static void write(CyclicBarrier start, CyclicBarrier end, RunRecorder[] current, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            try {
                while (true) {
                    start.await();
                    RunRecorder recorder = current[0];
                    for (int i = 0; i < VALUES_PER_WRITER; i++) {
                        recorder.requestStarted();
                        recorder.requestEnded(0, Exchange.response(200, 1, 1), 1_000L * random.nextLong(1, 10_000_000));
                    }
                    end.await();
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                // the probe is over
            }
        }

        private static StepLayout layout() {
            return new StepLayout(List.of("a", "b"), List.of("s"), List.of(new int[] {0, 1}), List.of(), new int[0]);
        }

        private Probe() {
        }
    }
}
