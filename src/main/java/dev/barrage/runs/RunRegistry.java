package dev.barrage.runs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runs kept in memory, oldest first. Unfinished runs are never evicted; beyond {@code retention}
 * finished runs the oldest finished ones are dropped (and their metric series with them).
 *
 * <p>Thread-safety: all methods synchronize on the registry; they are short and off the hot path.
 */
final class RunRegistry {

    private final int retention;
    private final long retainedBytes;
    private final Map<String, Run> runs = new LinkedHashMap<>();

    RunRegistry(int retention, long retainedBytes) {
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1");
        }
        this.retention = retention;
        this.retainedBytes = retainedBytes;
    }

    /** What the runs not yet finished hold (they cannot be evicted). */
    synchronized long unfinishedBytes() {
        return runs.values().stream().filter(run -> !run.state().status().isFinal()).mapToLong(Run::retainedBytes).sum();
    }

    synchronized void add(Run run) {
        runs.put(run.id(), run);
    }

    synchronized void remove(Run run) {
        runs.remove(run.id(), run);
    }

    synchronized Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** Newest first, optionally only those in {@code status}. */
    synchronized List<Run> list(RunStatus status, int limit) {
        List<Run> newestFirst = new ArrayList<>(runs.values()).reversed();
        return newestFirst.stream()
                .filter(run -> status == null || run.state().status() == status)
                .limit(limit)
                .toList();
    }

    synchronized List<Run> all() {
        return List.copyOf(runs.values());
    }

    /**
     * Drops the oldest finished runs beyond the retention count or the retained-bytes budget and
     * hands each to {@code evicted}.
     */
    void evictBeyondRetention(Consumer<Run> evicted) {
        List<Run> dropped = new ArrayList<>();
        synchronized (this) {
            long finished = runs.values().stream().filter(run -> run.state().status().isFinal()).count();
            long bytes = runs.values().stream().mapToLong(Run::retainedBytes).sum();
            Iterator<Run> oldestFirst = runs.values().iterator();
            while ((finished > retention || bytes > retainedBytes) && oldestFirst.hasNext()) {
                Run run = oldestFirst.next();
                if (run.state().status().isFinal()) {
                    oldestFirst.remove();
                    dropped.add(run);
                    finished--;
                    bytes -= run.retainedBytes();
                }
            }
        }
        dropped.forEach(evicted);
    }
}
