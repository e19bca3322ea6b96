package dev.barrage.runs;

import java.time.Instant;

/** A finished run as written to the store: what GET /tests/{id} shows, definition and timeline included. */
public record StoredRun(int version, String id, TestDefinition definition, Instant createdAt, RunState state) {

    static final int VERSION = 1;

    static StoredRun of(Run run) {
        return new StoredRun(VERSION, run.id(), run.definition(), run.createdAt(), run.state());
    }
}
