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
        public void launch(Run run) {
            throw new IllegalStateException("a standalone node cannot launch a distributed run");
        }

        @Override
        public Optional<Run> find(String id) {
            return Optional.empty();
        }
    };

    /** The nodes in the cluster now, this one included. */
    int members();

    /**
     * Prepares the run on its generators and starts it at one instant, asynchronously; the run ends
     * through {@link RunService#finishDistributed} on every node.
     */
    void launch(Run run);

    /** A distributed run another node started that this node does not know yet. */
    Optional<Run> find(String id);
}
