package dev.barrage.engine.recording;

import java.util.function.LongToDoubleFunction;

/**
 * What an open-model run was asked to do, so its snapshots can show requested next to achieved.
 *
 * @param plannedHitsBefore expected requests due before a given elapsed time (nanoseconds)
 * @param durationNanos     planned length of the run
 */
public record OpenPlan(LongToDoubleFunction plannedHitsBefore, long durationNanos) {

    double averageRate() {
        return plannedHitsBefore.applyAsDouble(durationNanos) / (durationNanos / 1e9);
    }

    double rateBetween(long fromNanos, long toNanos) {
        double seconds = (toNanos - fromNanos) / 1e9;
        return seconds <= 0 ? 0 : (plannedHitsBefore.applyAsDouble(toNanos) - plannedHitsBefore.applyAsDouble(fromNanos)) / seconds;
    }
}
