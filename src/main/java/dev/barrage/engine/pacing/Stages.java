package dev.barrage.engine.pacing;

import java.util.List;

/**
 * Linear ramps one after the other (k6 stages): each moves from the previous stage's target
 * (0 for the first) to its own over its duration. The same shape serves both models: hits per
 * second for the open model ({@link Pacer}), virtual users for the closed one ({@link #valueAt}).
 *
 * <p>Immutable; the constructor precomputes where each stage starts, in time and in hits.
 */
public record Stages(List<LinearRamp> ramps, long[] startNanos, double[] hitsAtStart) implements Pacer {

    /** One stage: reach {@code target} linearly over {@code durationNanos}. */
    public record Stage(long durationNanos, double target) {
    }

    public Stages {
        ramps = List.copyOf(ramps);
        if (ramps.isEmpty()) {
            throw new IllegalArgumentException("at least one stage is needed");
        }
    }

    /** A flat target (users or rate) for the whole duration. */
    public static Stages constant(double value, long durationNanos) {
        return new Stages(List.of(new LinearRamp(value, value, durationNanos)), new long[]{0}, new double[]{0});
    }

    public static Stages of(List<Stage> stages) {
        List<LinearRamp> ramps = new java.util.ArrayList<>();
        double previous = 0;
        for (Stage stage : stages) {
            ramps.add(new LinearRamp(previous, stage.target(), stage.durationNanos()));
            previous = stage.target();
        }
        long[] starts = new long[ramps.size()];
        double[] hits = new double[ramps.size()];
        for (int i = 1; i < ramps.size(); i++) {
            starts[i] = Math.addExact(starts[i - 1], ramps.get(i - 1).durationNanos());
            hits[i] = hits[i - 1] + ramps.get(i - 1).hitsBefore(ramps.get(i - 1).durationNanos());
        }
        return new Stages(ramps, starts, hits);
    }

    @Override
    public long dueNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("hit index must be >= 0");
        }
        for (int i = 0; i < ramps.size(); i++) {
            LinearRamp ramp = ramps.get(i);
            double hitsInStage = ramp.hitsBefore(ramp.durationNanos());
            double offset = n - hitsAtStart[i];
            if (offset < hitsInStage) {
                long within = ramp.dueAtHits(offset);
                if (within != NEVER) {
                    return startNanos[i] + within;
                }
            }
        }
        return NEVER;
    }

    /** The highest target any stage reaches. */
    public double peak() {
        return ramps.stream().mapToDouble(ramp -> Math.max(ramp.fromPerSecond(), ramp.toPerSecond())).max().orElse(0);
    }

    @Override
    public long durationNanos() {
        int last = ramps.size() - 1;
        return startNanos[last] + ramps.get(last).durationNanos();
    }

    @Override
    public double rateAt(long elapsedNanos) {
        return valueAt(elapsedNanos);
    }

    /** The target (rate or users) at {@code elapsedNanos}; 0 outside the stages. */
    public double valueAt(long elapsedNanos) {
        int i = stageAt(elapsedNanos);
        return i < 0 ? 0 : ramps.get(i).rateAt(elapsedNanos - startNanos[i]);
    }

    @Override
    public double hitsBefore(long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        if (elapsedNanos >= durationNanos()) {
            int last = ramps.size() - 1;
            return hitsAtStart[last] + ramps.get(last).hitsBefore(ramps.get(last).durationNanos());
        }
        int i = stageAt(elapsedNanos);
        return hitsAtStart[i] + ramps.get(i).hitsBefore(elapsedNanos - startNanos[i]);
    }

    /**
     * The first moment after {@code elapsedNanos} at which the whole-number part of the target
     * changes (a virtual user joins or leaves), or {@link #NEVER} after the last stage.
     */
    public long nextWholeChangeNanos(long elapsedNanos) {
        int i = stageAt(elapsedNanos);
        if (i < 0) {
            return NEVER;
        }
        LinearRamp ramp = ramps.get(i);
        long stageEnd = startNanos[i] + ramp.durationNanos();
        double from = ramp.fromPerSecond();
        double to = ramp.toPerSecond();
        if (from == to) {
            return stageEnd;
        }
        double now = ramp.rateAt(elapsedNanos - startNanos[i]);
        // users = floor(target): rising, one joins when the target reaches the next whole number;
        // falling, one leaves as soon as the target drops below the current whole number
        double boundary = to > from ? Math.floor(now) + 1 : Math.floor(now);
        double atBoundary = startNanos[i] + (boundary - from) / (to - from) * ramp.durationNanos();
        long crossing = to > from ? (long) Math.ceil(atBoundary) : (long) Math.floor(atBoundary) + 1;
        return Math.min(Math.max(crossing, elapsedNanos + 1), stageEnd);
    }

    private int stageAt(long elapsedNanos) {
        if (elapsedNanos < 0) {
            return -1;
        }
        for (int i = 0; i < ramps.size(); i++) {
            if (elapsedNanos < startNanos[i] + ramps.get(i).durationNanos()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Stages that && ramps.equals(that.ramps);
    }

    @Override
    public int hashCode() {
        return ramps.hashCode();
    }

    @Override
    public String toString() {
        return "Stages" + ramps;
    }
}
