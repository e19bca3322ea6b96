package dev.barrage.runs;

import java.util.List;

/** Where runs are kept across restarts. Thread-safety: implementations are thread-safe. */
public interface RunStore {

    RunStore NONE = new RunStore() {
        @Override
        public void save(Run run) {
        }

        @Override
        public void delete(String id) {
        }

        @Override
        public List<StoredRun> load(int newest, long budgetBytes) {
            return List.of();
        }
    };

    /**
     * Writes a run, replacing any earlier copy: a finished run once, a running one as a checkpoint
     * every few seconds. Failures are logged, never thrown.
     */
    void save(Run run);

    /** Forgets a run that left the retained set. Failures are logged, never thrown. */
    void delete(String id);

    /**
     * The most recently saved runs that can be read back, oldest first: at most {@code newest} of
     * them, and no more than fit in {@code budgetBytes} of memory (estimated before reading). Whatever
     * cannot be read (a broken, incomplete or foreign file) is set aside with a warning and never
     * stops the caller; older runs beyond either bound are deleted without being read.
     */
    List<StoredRun> load(int newest, long budgetBytes);
}
