package dev.barrage.runs;

/**
 * PENDING: the run is queued or running, so nothing is decided yet; PASSED: every threshold held;
 * FAILED: at least one did not; NONE: the run has no thresholds.
 */
public enum Verdict { PENDING, PASSED, FAILED, NONE }
