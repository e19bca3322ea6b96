package dev.barrage.runs;

/** The run has already ended, so it cannot be cancelled. */
public class RunAlreadyFinishedException extends RuntimeException {

    public RunAlreadyFinishedException(String id, RunStatus status) {
        super("Test run '" + id + "' has already ended as " + status + "; only QUEUED or RUNNING runs can be cancelled.");
    }
}
