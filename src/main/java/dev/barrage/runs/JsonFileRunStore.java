package dev.barrage.runs;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON file per finished run in a directory, written to a temporary file and moved into place
 * atomically, so a crash leaves either the old file or the new one, never half of one.
 *
 * <p>Thread-safety: thread-safe; each run is written by one thread (the aggregation lane) and
 * files of different runs never collide.
 */
public final class JsonFileRunStore implements RunStore {

    private static final Logger log = LoggerFactory.getLogger(JsonFileRunStore.class);

    private final Path directory;
    private final JsonMapper json;

    /** @throws IllegalStateException when the directory cannot be created or written */
    public JsonFileRunStore(Path directory, JsonMapper json) {
        this.directory = directory;
        this.json = json;
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
        Path target = directory.resolve(run.id() + ".json");
        Path temporary = directory.resolve(run.id() + ".json.tmp");
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
    public List<StoredRun> loadAll() {
        List<StoredRun> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    runs.add(json.readValue(file.toFile(), StoredRun.class));
                } catch (JacksonException e) {
                    log.warn("Skipping {}: not a stored run ({})", file, e.getOriginalMessage());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("barrage.store.path " + directory + " cannot be read: " + e.getMessage(), e);
        }
        runs.sort(Comparator.comparing(StoredRun::createdAt));
        return runs;
    }
}
