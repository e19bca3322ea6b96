package dev.barrage.runs;

/** No run with this id is known (never created, or evicted after the retention limit). */
public class RunNotFoundException extends RuntimeException {

    public RunNotFoundException(String id) {
        super("No test run with id '" + id + "'. Runs are kept in memory; the oldest finished ones are evicted after the retention limit.");
    }
}
