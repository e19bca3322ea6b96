package dev.barrage.engine.recording;

/** How many times checks passed and failed. Immutable. */
public record CheckCounts(long passed, long failed) {

    public static final CheckCounts NONE = new CheckCounts(0, 0);

    CheckCounts plus(CheckCounts other) {
        return new CheckCounts(passed + other.passed, failed + other.failed);
    }
}
