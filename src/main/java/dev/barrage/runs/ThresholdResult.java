package dev.barrage.runs;

/** A pass/fail criterion with the value the run measured for it (ms for latencies). */
public record ThresholdResult(String expression, double actual, boolean passed) {
}
