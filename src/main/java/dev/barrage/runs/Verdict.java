package dev.barrage.runs;

/** PASSED: every threshold held; FAILED: at least one did not; NONE: the run has no thresholds. */
public enum Verdict { PASSED, FAILED, NONE }
