package dev.barrage.runs;

import java.util.List;

/**
 * Where a distributed run's load comes from: its coordinator, each generator's share and state, and
 * the last second every generator has reported (the merged figures are complete up to it).
 *
 * @param effectiveLoadFraction the share of the planned load that was applied, below 1 when a node was
 *                              lost under {@code "onNodeLoss": "continue"}; null while running
 */
public record Distribution(String coordinator, List<NodeStatus> nodes, long lastCompleteSecond,
                           Double effectiveLoadFraction) {

    public Distribution {
        nodes = List.copyOf(nodes);
    }

    /**
     * One generator of a distributed run.
     *
     * @param member      the node's cluster address, host:port
     * @param segment     its part of the plan, such as 1/3:2/3
     * @param status      preparing, ready, running, completed, cancelled, failed or lost
     * @param startSkewMs how much later than the common start instant it started (by the cluster clock)
     * @param lastSecond  the last second of the run it has reported
     * @param requests    the requests it has reported
     * @param lost        whether it left the cluster before it finished its share
     */
    public record NodeStatus(String member, String segment, String status, Double startSkewMs, long lastSecond,
                             long requests, boolean lost) {
    }
}
