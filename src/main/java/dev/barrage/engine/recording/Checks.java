package dev.barrage.engine.recording;

import java.util.Map;

/**
 * Every check of the run: how many passed and failed, and per check, named {@code "<step>: <check>"}
 * (a capture counts as a check named {@code "<step>: capture <name>"}). Immutable.
 */
public record Checks(long passed, long failed, Map<String, CheckCounts> byCheck) {
}
