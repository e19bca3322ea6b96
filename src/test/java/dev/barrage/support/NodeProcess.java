package dev.barrage.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Barrage node in a JVM process of its own, started from this test JVM's class path with the JVM
 * flags Hazelcast needs, on an ephemeral HTTP port it reports in its log. Its output goes to a file.
 *
 * <p>Thread-safety: confined to the test thread (a reader thread copies the output).
 */
public final class NodeProcess implements AutoCloseable {

    private static final Pattern STARTED_ON = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;
    private final Path log;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Void> outputCopied = new CompletableFuture<>();

    private NodeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread.ofPlatform().daemon().name("node-output-" + process.pid()).start(this::copyOutput);
    }

    /** Starts {@code dev.barrage.BarrageApplication} with {@code arguments} (add --server.port=0 yourself). */
    public static NodeProcess start(Path log, String... arguments) throws IOException {
        List<String> command = javaWithTestFlags();
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.barrage.BarrageApplication"));
        command.addAll(Arrays.asList(arguments));
        return launch(command, log);
    }

    /** Starts the built jar, as users run it, with {@code jvmFlags} and {@code arguments} (add --server.port=0 yourself). */
    public static NodeProcess startJar(Path jar, List<String> jvmFlags, Path log, String... arguments) throws IOException {
        List<String> command = javaWithTestFlags();
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(Arrays.asList(arguments));
        return launch(command, log);
    }

    private static List<String> javaWithTestFlags() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(Arrays.asList(System.getProperty("barrage.test.jvm.flags", "").trim().split("\\s+")));
        command.removeIf(String::isBlank);
        return command;
    }

    private static NodeProcess launch(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new NodeProcess(process, log);
    }

    /** The HTTP port the node listens on, once it has started (fails when it exits or does not start in time). */
    public int awaitPort(Duration within) throws Exception {
        try {
            return port.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the node did not start within " + within + "; its log: " + log);
        }
    }

    /** The exit code once the process has ended on its own (fails when it is still running after {@code within}). */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the node still runs after " + within + "; its log: " + log);
        }
        try {
            outputCopied.get(10, TimeUnit.SECONDS); // the log is whole before anyone reads it
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the node's output was not copied; its log: " + log, e);
        }
        return process.exitValue();
    }

    /** As {@code kill -9}: the process ends at once, telling nobody. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public Path log() {
        return log;
    }

    private void copyOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                Matcher started = STARTED_ON.matcher(line);
                if (!port.isDone() && started.find()) {
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        port.completeExceptionally(new AssertionError("the node exited before it started; its log: " + log));
        outputCopied.complete(null);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
