package dev.barrage.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The embedded Hazelcast member's configuration: a TCP-IP member list (no multicast, no cloud
 * auto-detection) and no phone-home. The shared secret is folded into the Hazelcast cluster name
 * (the name, a dash, and 32 hex digits of HMAC-SHA256(secret, name)), which Hazelcast compares when
 * a member joins: a member with another secret presents another name and is refused. (Hazelcast
 * 5.7's open-source join check compares the cluster name, partition count, partition grouping and
 * joiner; it has no application token, and member authentication is an Enterprise feature.)
 */
public final class HazelcastSetup {

    private HazelcastSetup() {
    }

    /** The name Hazelcast checks at join: the cluster's name and a fingerprint of the secret, never the secret. */
    public static String clusterName(ClusterSettings settings) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] fingerprint = mac.doFinal(settings.name().getBytes(StandardCharsets.UTF_8));
            return settings.name() + "-" + HexFormat.of().formatHex(fingerprint, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    public static Config config(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(clusterName(settings));
        config.setInstanceName("barrage-" + settings.name() + "-" + settings.port());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // Spring shuts the member down, after the runs
        // a member that stops answering is removed within 10 s (a killed one at once: its connections close)
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        if (settings.interfaceAddress() != null && !settings.interfaceAddress().isBlank()) {
            network.getInterfaces().setEnabled(true).addInterface(settings.interfaceAddress());
            config.setProperty("hazelcast.socket.bind.any", "false");
            config.setProperty("hazelcast.local.localAddress", settings.interfaceAddress());
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }
}
