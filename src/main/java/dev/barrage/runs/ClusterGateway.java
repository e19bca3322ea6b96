package dev.barrage.runs;

import java.util.Optional;

/**
 * What the run service asks of the cluster (implemented on Hazelcast in {@code cluster}); a standalone
 * node has one member and launches nothing.
 */
public interface ClusterGateway {

    ClusterGateway STANDALONE = new ClusterGateway() {
        @Override
        public int members() {
            return 1;
        }

        @Override
        public void announce(Run run) {
            throw new IllegalStateException("a standalone node has no distributed runs");
        }

        @Override
        public void cancel(Run run) {
        }

        @Override
        public void launch(Run run) {
            throw new IllegalStateException("a standalone node cannot launch a distributed run");
        }

        @Override
        public Optional<Run> find(String id) {
            return Optional.empty();
        }

        @Override
        public String localMember() {
            return null;
        }
    };

    /** The nodes in the cluster now, this one included. */
    int members();

    /** Makes a new distributed run known to every node (its generators chosen now), before it is queued or started. */
    void announce(Run run);

    /** Cancels a distributed run everywhere: before its start it never starts, running its generators stop. */
    void cancel(Run run);

    /**
     * Prepares the run on its generators and starts it at one instant, asynchronously; the run ends
     * through {@link RunService#finishDistributed} on every node.
     */
    void launch(Run run);

    /** This node's cluster address, host:port; null on a standalone node. */
    String localMember();

    /** A distributed run another node started that this node does not know yet. */
    Optional<Run> find(String id);
}
