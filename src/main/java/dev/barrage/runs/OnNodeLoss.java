package dev.barrage.runs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a distributed run does when one of its generators leaves the cluster: abort ends the run
 * FAILED with what was merged; continue goes on without that node's share of the plan.
 */
public enum OnNodeLoss {
    @JsonProperty("abort") ABORT,
    @JsonProperty("continue") CONTINUE
}
