package dev.barrage.runs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON file per run in a directory, written to a temporary file and moved into place
 * atomically, so a crash leaves either the old file or the new one, never half of one. Files that
 * cannot be served are moved to {@code rejected/} beside them, never deleted and never fatal.
 *
 * <p>Thread-safety: thread-safe; each run is written by one thread at a time (the aggregation lane)
 * and files of different runs never collide.
 */
public final class JsonFileRunStore implements RunStore {

    private static final Logger log = LoggerFactory.getLogger(JsonFileRunStore.class);
    private static final String SUFFIX = ".json";

    private final Path directory;
    private final Path rejected;
    private final JsonMapper json;
    private final long maxFileBytes;

    /**
     * @param maxFileBytes a larger file is rejected unread, so no stored file can exhaust the heap at start-up
     * @throws IllegalStateException when the directory cannot be created or written
     */
    public JsonFileRunStore(Path directory, JsonMapper json, long maxFileBytes) {
        this.directory = directory;
        this.rejected = directory.resolve("rejected");
        this.json = json;
        this.maxFileBytes = maxFileBytes;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("barrage.store.path " + directory + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException("barrage.store.path " + directory + " is not writable");
        }
    }

    @Override
    public void save(Run run) {
        Path target = fileOf(run.id());
        Path temporary = directory.resolve(run.id() + SUFFIX + ".tmp");
        try {
            Files.write(temporary, json.writeValueAsBytes(StoredRun.of(run)));
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | JacksonException e) {
            log.error("Run {} could not be stored in {}; it stays in memory only", run.id(), directory, e);
        }
    }

    @Override
    public void delete(String id) {
        try {
            Files.deleteIfExists(fileOf(id));
        } catch (IOException e) {
            log.warn("Run {} left the retained runs but its file could not be deleted: {}", id, e.getMessage());
        }
    }

    @Override
    public List<StoredRun> load(int newest, long budgetBytes) {
        List<StoredRun> runs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long budgetLeft = budgetBytes;
        for (Path file : newestFirst()) {
            if (runs.size() >= newest) {
                delete(file, "beyond the retention of " + newest + " runs");
                continue;
            }
            long inMemory = 2 * sizeOf(file); // JSON text held as UTF-16 strings, about twice its bytes
            if (inMemory > budgetLeft) {
                delete(file, "beyond barrage.limits.retained-bytes (" + budgetBytes + " bytes) with the newer runs");
                budgetLeft = 0; // older runs never displace newer ones
                continue;
            }
            budgetLeft -= inMemory;
            StoredRun run = read(file);
            if (run == null) {
                continue;
            }
            if (!ids.add(run.id())) {
                setAside(file, "a second file for run " + run.id() + " (the newer one is kept)");
                continue;
            }
            runs.add(run);
        }
        runs.sort(Comparator.comparing(StoredRun::createdAt));
        return runs;
    }

    /** The run in {@code file}, or null when it is set aside as unreadable. */
    private StoredRun read(Path file) {
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                setAside(file, size + " bytes, more than any run this server writes (" + maxFileBytes + ")");
                return null;
            }
            StoredRun run = json.readValue(file.toFile(), StoredRun.class);
            String defect = run == null ? "no run in it" : run.defect();
            if (defect != null) {
                setAside(file, defect);
                return null;
            }
            return run;
        } catch (JacksonException e) {
            setAside(file, "not a stored run (" + e.getOriginalMessage() + ")");
        } catch (IOException | RuntimeException e) {
            setAside(file, "unreadable (" + e + ")");
        }
        return null;
    }

    private List<Path> newestFirst() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(path))
                    .sorted(Comparator.comparing(JsonFileRunStore::modified).reversed())
                    .toList();
        } catch (IOException e) {
            log.error("barrage.store.path {} cannot be listed ({}); starting without stored runs", directory, e.getMessage());
            return List.of();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // reading it will fail and set it aside
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private void setAside(Path file, String why) {
        log.warn("Stored run {} cannot be served ({}); moved to {}", file.getFileName(), why, rejected);
        try {
            Files.createDirectories(rejected);
            Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("{} could not be moved aside either ({}); it is ignored", file, e.getMessage());
        }
    }

    private void delete(Path file, String why) {
        try {
            Files.deleteIfExists(file);
            log.info("Deleted stored run {}: {}", file.getFileName(), why);
        } catch (IOException e) {
            log.warn("{} could not be deleted ({}); it is ignored", file, e.getMessage());
        }
    }

    private Path fileOf(String id) {
        return directory.resolve(id + SUFFIX);
    }
}
