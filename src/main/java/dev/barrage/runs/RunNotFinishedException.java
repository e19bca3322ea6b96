package dev.barrage.runs;

/** What was asked for exists only once the run has ended (a JUnit report, say). */
public class RunNotFinishedException extends RuntimeException {

    public RunNotFinishedException(String id, RunStatus status) {
        super("Test run " + id + " is " + status + ": this is available once it has ended (GET /tests/" + id
                + "?wait=5m answers when it has)");
    }
}
