package dev.barrage.runs;

/**
 * A pass/fail criterion with the value the run measured for it (ms for latencies). While the run is
 * queued or running, {@code actual} and {@code passed} are a live preview, and both are null until
 * a request has ended; in a final state {@code passed} is decided (false when no request ended, with
 * {@code actual} null: nothing was measured).
 */
public record ThresholdResult(String expression, Double actual, Boolean passed) {
}
