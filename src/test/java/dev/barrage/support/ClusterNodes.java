package dev.barrage.support;

import com.hazelcast.core.HazelcastInstance;
import dev.barrage.BarrageApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Barrage nodes of one cluster in this JVM: each its own application context on an ephemeral HTTP
 * port, with a Hazelcast member on 127.0.0.1 at a free port, all sharing a cluster name unique to
 * the test (so concurrent tests never meet) and a secret.
 *
 * <p>Thread-safety: confined to the test thread.
 */
public final class ClusterNodes implements AutoCloseable {

    public static final String SECRET = "cluster-test-secret";
    /** How far ahead a distributed run's start is set (the default is 2 s). */
    private static final Duration START_LEAD = Duration.ofMillis(500);
    /** A generator silent this long is lost (the default is 10 s). */
    public static final Duration SILENCE_LIMIT = Duration.ofSeconds(5);
    private static final int FIRST_MEMBER_PORT = 20_000;
    private static final int LAST_MEMBER_PORT = 32_000;

    private final String name = "barrage-test-" + UUID.randomUUID();
    private final List<Integer> memberPorts;
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private ClusterNodes(List<Integer> memberPorts) {
        this.memberPorts = memberPorts;
    }

    /** Ports for {@code size} members; nothing is started yet. */
    public static ClusterNodes of(int size) throws IOException {
        return new ClusterNodes(freePorts(size));
    }

    /** Starts member {@code index} (0-based) with the cluster's secret, plus any extra run arguments. */
    public ConfigurableApplicationContext start(int index, String... extra) {
        return startWithSecret(index, SECRET, extra);
    }

    /** Starts member {@code index} presenting {@code secret} (which may be the wrong one). */
    public ConfigurableApplicationContext startWithSecret(int index, String secret, String... extra) {
        List<String> arguments = arguments(index, secret);
        arguments.addAll(List.of(extra));
        ConfigurableApplicationContext node = new SpringApplicationBuilder(BarrageApplication.class).run(arguments.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    /** The run arguments of member {@code index} (0-based) presenting {@code secret}: for a node in any JVM. */
    public List<String> arguments(int index, String secret) {
        return new ArrayList<>(List.of(
                "--server.port=0",
                "--barrage.cluster.enabled=true",
                "--barrage.cluster.name=" + name,
                "--barrage.cluster.port=" + memberPorts.get(index),
                "--barrage.cluster.members=" + memberPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(",")),
                "--barrage.cluster.secret=" + secret,
                "--barrage.cluster.interface-address=127.0.0.1",
                // a shorter start lead and silence limit than the defaults (2 s, 10 s): quicker tests, still
                // well above what a start message and a second's shipment take on a loaded test machine
                "--barrage.cluster.start-lead=" + START_LEAD.toMillis() + "ms",
                "--barrage.cluster.silence-limit=" + SILENCE_LIMIT.toSeconds() + "s"));
    }

    public static HazelcastInstance hazelcast(ConfigurableApplicationContext node) {
        return node.getBean(HazelcastInstance.class);
    }

    /** The node's cluster member address as runs name it, host:port. */
    public static String member(ConfigurableApplicationContext node) {
        var address = hazelcast(node).getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    public static BarrageApi api(ConfigurableApplicationContext node) {
        return new BarrageApi(((WebServerApplicationContext) node).getWebServer().getPort());
    }

    /** Waits until every given node sees {@code members} members. */
    public static void awaitMembers(int members, Duration within, List<ConfigurableApplicationContext> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (nodes.stream().anyMatch(node -> hazelcast(node).getCluster().getMembers().size() != members)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the nodes see " + nodes.stream().map(node -> hazelcast(node).getCluster().getMembers().size()).toList()
                        + " members, not " + members + " each, after " + within.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until every node, each in any JVM, reports {@code members} in {@code load_tester_cluster_members}. */
    public static void awaitMembers(int members, Duration within, List<BarrageApi> apis, String what) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        for (BarrageApi api : apis) {
            while (!api.getOk("/actuator/prometheus").contains("load_tester_cluster_members " + members + ".0")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " did not form a cluster of " + members + " within " + within.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * Takes a node out as abruptly as this JVM allows: its Hazelcast member terminates without telling
     * the others (as a killed process), then its application context closes.
     */
    public static void kill(ConfigurableApplicationContext node) {
        hazelcast(node).getLifecycleService().terminate();
        node.close();
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext node : nodes.reversed()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                // a node a test stopped already
            }
        }
    }

    /**
     * Member ports below Linux's ephemeral range (32768 and up): a port the kernel hands out for
     * listening on port 0 can be taken by any outgoing connection (another member's, a test's load)
     * in the moment between choosing it here and Hazelcast binding it, which failed a start once.
     * Ports below the range are only taken by someone binding them on purpose.
     */
    private static List<Integer> freePorts(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        int candidate = FIRST_MEMBER_PORT + ThreadLocalRandom.current().nextInt(LAST_MEMBER_PORT - FIRST_MEMBER_PORT);
        for (int tried = 0; ports.size() < count; tried++, candidate++) {
            if (tried > LAST_MEMBER_PORT - FIRST_MEMBER_PORT) {
                throw new IOException("no " + count + " free ports in " + FIRST_MEMBER_PORT + ".." + LAST_MEMBER_PORT);
            }
            if (candidate >= LAST_MEMBER_PORT) {
                candidate = FIRST_MEMBER_PORT;
            }
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                ports.add(socket.getLocalPort());
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        return ports;
    }
}
