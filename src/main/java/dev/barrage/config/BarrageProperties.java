package dev.barrage.config;

import dev.barrage.runs.RunLimits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code barrage.*}.
 *
 * @param aggregationThreads platform threads of the aggregation (CPU) lane, apart from the request workers
 * @param shutdownWait       how long shutdown waits for cancelled runs to record their final results
 * @param eventLoops         whether a single-request test over plain http runs on event loops (no
 *                           thread per waiting user; the open model's schedule run by the loops) rather
 *                           than on a virtual thread per user
 */
@ConfigurationProperties("barrage")
@Validated
public record BarrageProperties(
        @DefaultValue("1") @Min(1) @Max(16) int aggregationThreads,
        @DefaultValue("5s") Duration shutdownWait,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Targets targets,
        @DefaultValue Security security,
        @DefaultValue Store store,
        @DefaultValue @Valid Cluster cluster,
        @DefaultValue @Valid Warmup warmup,
        @DefaultValue("true") boolean eventLoops) {

    /**
     * The warm-up a freshly started node runs before it reports ready: its own request path against a
     * loopback responder in the JVM, until the JIT compiler goes quiet, so that the first run is not
     * slowed by compiling. Runs submitted meanwhile wait in the queue; readiness is OUT_OF_SERVICE.
     *
     * @param enabled     whether to warm up at start-up
     * @param maxDuration the longest the warm-up may take; it ends there, warm or not
     */
    public record Warmup(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration maxDuration) {
    }

    /**
     * Several Barrage nodes generating one test's load together, on an embedded Hazelcast. Off by
     * default: a standalone node starts no Hazelcast at all.
     *
     * @param enabled          whether this node joins a cluster
     * @param name             the cluster's name; nodes of another name form another cluster
     * @param port             Hazelcast's member port on this node
     * @param members          the other members to join, each {@code host:port} (no port ranges); this node may be listed too
     * @param secret           shared by the members: a member without it is refused at join
     * @param interfaceAddress the address Hazelcast binds and announces (such as 127.0.0.1 or the pod IP);
     *                         none lets Hazelcast pick one and bind all
     * @param startLead        how far ahead of now, by the cluster clock, a distributed run's common start is set
     *                         once every generator has prepared: longer than the start message takes to reach them
     * @param silenceLimit     a generator that ships nothing for this long (it ships every second) is lost
     */
    public record Cluster(@DefaultValue("false") boolean enabled,
                          @DefaultValue("barrage") String name,
                          @DefaultValue("5701") @Min(1) @Max(65_535) int port,
                          @DefaultValue({}) List<String> members,
                          String secret,
                          String interfaceAddress,
                          @DefaultValue("2s") Duration startLead,
                          @DefaultValue("10s") Duration silenceLimit) {

        @Override
        public String toString() {
            return "Cluster[enabled=" + enabled + ", name=" + name + ", port=" + port + ", members=" + members
                    + ", secret=" + (secret == null || secret.isBlank() ? "(none)" : "(set)") + ", interfaceAddress="
                    + interfaceAddress + ", startLead=" + startLead + ", silenceLimit=" + silenceLimit + "]";
        }
    }

    /** @param path a directory for finished runs as JSON, loaded again at start-up; none keeps them in memory only */
    public record Store(Path path) {
    }

    /**
     * @param apiKey         when set, every /tests call needs {@code Authorization: Bearer <key>}
     * @param protectMetrics whether /actuator/prometheus needs the key too (health never does)
     */
    public record Security(String apiKey, @DefaultValue("false") boolean protectMetrics) {

        boolean enabled() {
            return apiKey != null && !apiKey.isBlank();
        }

        @Override
        public String toString() {
            return "Security[apiKey=" + (enabled() ? "(set)" : "(none)") + ", protectMetrics=" + protectMetrics + "]";
        }
    }

    /**
     * @param allow where load may be sent: host names, *.wildcards, addresses and CIDRs; a name's
     *              addresses are checked at every connect, and link-local addresses only when listed
     */
    public record Targets(@DefaultValue({"localhost", "127.0.0.0/8", "::1"}) List<String> allow) {
    }

    /**
     * What a test may ask for, and how many runs this server holds.
     *
     * @param maxConcurrency virtual users (closed) or requests in flight (open), per test
     * @param maxRate        requests per second (open model), per test
     * @param maxDuration    total length of one test
     * @param maxRunning     tests applying load at the same time; more wait in the queue
     * @param maxQueued      tests waiting; beyond it a submission answers 429 with Retry-After
     * @param retention      finished runs kept in memory; the oldest are evicted with their metric series
     * @param maxDefinitionSize the largest body POST /tests reads; larger is a 413 before it is read
     * @param retainedBytes  what all runs in memory may hold together (definitions and timelines): the
     *                       oldest finished runs are evicted to stay under it, and a submission that the
     *                       unfinished runs alone would push over it is a 429
     * @param maxDataSize    the largest {@code data} (CSV or rows) one test may carry
     * @param maxResponseBodySize how much of a response body a step that checks or captures from it
     *                       keeps, per virtual user: memory is at most users times this
     */
    public record Limits(
            @DefaultValue("10000") @Min(1) @Max(10_000) int maxConcurrency,
            @DefaultValue("100000") @Min(1) @Max(100_000) double maxRate,
            @DefaultValue("1h") Duration maxDuration,
            @DefaultValue("1") @Min(1) int maxRunning,
            @DefaultValue("20") @Min(0) int maxQueued,
            @DefaultValue("1000") @Min(1) int retention,
            @DefaultValue("2MB") DataSize maxDefinitionSize,
            @DefaultValue("64MB") DataSize retainedBytes,
            @DefaultValue("1MB") DataSize maxDataSize,
            @DefaultValue("64KB") DataSize maxResponseBodySize) {

        public RunLimits toRunLimits() {
            return new RunLimits(maxConcurrency, maxRate, maxDuration, maxRunning, maxQueued, retention,
                    maxDefinitionSize.toBytes(), retainedBytes.toBytes(), maxDataSize.toBytes(),
                    (int) Math.min(Integer.MAX_VALUE - 8, maxResponseBodySize.toBytes()));
        }
    }
}
