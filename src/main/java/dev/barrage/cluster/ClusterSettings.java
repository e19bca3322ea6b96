package dev.barrage.cluster;

import java.util.List;

/**
 * How this node joins its cluster: the cluster's name, Hazelcast's member port here, the members to
 * join ({@code host:port} each), the secret members share, and the address to bind (null: any).
 */
public record ClusterSettings(String name, int port, List<String> members, String secret, String interfaceAddress) {

    public ClusterSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("barrage.cluster.name must not be blank");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("barrage.cluster.secret must be set when barrage.cluster.enabled is true: "
                    + "members share it, and a member without it is refused at join");
        }
        members = List.copyOf(members);
        for (String member : members) {
            if (!member.matches("[^\\s:]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}")) {
                throw new IllegalArgumentException("barrage.cluster.members: '" + member
                        + "' is not host:port (list each member; port ranges such as 5701-5703 are not accepted)");
            }
        }
    }

    @Override
    public String toString() {
        return "ClusterSettings[name=" + name + ", port=" + port + ", members=" + members + ", secret=(set), interfaceAddress="
                + interfaceAddress + "]";
    }
}
