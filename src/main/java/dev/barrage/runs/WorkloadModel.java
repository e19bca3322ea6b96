package dev.barrage.runs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Closed: a fixed number of users, each waiting for its response. Open: a fixed arrival rate. */
public enum WorkloadModel {
    @JsonProperty("closed") CLOSED,
    @JsonProperty("open") OPEN
}
