package dev.barrage.runs;

import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.Summary;
import java.time.Instant;

/** A run as written to the store: what GET /tests/{id} shows, definition and timeline included. */
public record StoredRun(int version, String id, TestDefinition definition, Instant createdAt, RunState state) {

    static final int VERSION = 1;

    static StoredRun of(Run run) {
        return new StoredRun(VERSION, run.id(), run.definition(), run.createdAt(), run.state());
    }

    /** Why this record cannot be served as a run (a field the API needs is missing), or null when it can. */
    String defect() {
        if (version != VERSION) {
            return "version " + version + " is not " + VERSION;
        }
        if (id == null || !RunIds.isWellFormed(id)) {
            return "no valid id";
        }
        if (createdAt == null) {
            return "no createdAt";
        }
        boolean requestOk = definition != null && definition.request() != null && definition.request().url() != null;
        boolean scenariosOk = definition != null && definition.scenarios() != null && !definition.scenarios().isEmpty();
        if (definition == null || !(requestOk || scenariosOk)
                || definition.workload() == null || definition.workload().model() == null
                || definition.expectedStatus() == null || definition.expectedStatus().size() != 2
                || definition.thresholds() == null || definition.priority() == null) {
            return "an incomplete definition";
        }
        if (state == null || state.status() == null || state.snapshot() == null || state.thresholds() == null
                || state.verdict() == null || state.warnings() == null) {
            return "an incomplete state";
        }
        RunSnapshot snapshot = state.snapshot();
        Summary summary = snapshot.summary();
        if (summary == null || summary.latencyMs() == null || summary.statusCodes() == null || summary.errors() == null
                || snapshot.timeline() == null || snapshot.successLatency() == null || snapshot.errorLatency() == null) {
            return "an incomplete summary";
        }
        try {
            definition.thresholds().forEach(Threshold::parse);
        } catch (RuntimeException e) {
            return "a threshold that does not parse";
        }
        return null;
    }
}
