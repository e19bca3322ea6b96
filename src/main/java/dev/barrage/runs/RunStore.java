package dev.barrage.runs;

import java.util.List;

/** Where finished runs are kept across restarts. Thread-safety: implementations are thread-safe. */
public interface RunStore {

    RunStore NONE = new RunStore() {
        @Override
        public void save(Run run) {
        }

        @Override
        public List<StoredRun> loadAll() {
            return List.of();
        }
    };

    /** Writes a finished run, replacing any earlier copy; failures are logged, never thrown. */
    void save(Run run);

    /** Every run stored, oldest first. */
    List<StoredRun> loadAll();
}
