package dev.barrage.engine.pacing;

/**
 * A rate that moves linearly from {@code fromPerSecond} to {@code toPerSecond} over
 * {@code durationNanos} (k6's ramping-arrival-rate stage). The hits due by t are
 * {@code from·t + (to − from)·t² / 2T}; hit n is due where that reaches n.
 */
public record LinearRamp(double fromPerSecond, double toPerSecond, long durationNanos) implements Pacer {

    public LinearRamp {
        if (!(fromPerSecond >= 0) || !(toPerSecond >= 0) || Double.isInfinite(fromPerSecond)
                || Double.isInfinite(toPerSecond)) {
            throw new IllegalArgumentException("rates must be finite numbers >= 0");
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    @Override
    public long dueNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("hit index must be >= 0");
        }
        return dueAtHits(n);
    }

    /**
     * When the expected hits reach {@code hits} (fractional, as stage boundaries rarely fall on
     * whole hits), or {@link #NEVER} at or after the end. Solves from·t + slope·t²/2 = hits in the
     * form that stays exact as the slope goes to 0.
     */
    long dueAtHits(double hits) {
        if (hits >= hitsBefore(durationNanos)) {
            return NEVER;
        }
        if (hits <= 0) {
            return 0;
        }
        double slope = (toPerSecond - fromPerSecond) / (durationNanos / 1e9);
        double discriminant = fromPerSecond * fromPerSecond + 2 * slope * hits;
        double seconds = 2 * hits / (fromPerSecond + Math.sqrt(Math.max(0, discriminant)));
        long due = (long) (seconds * 1e9);
        return due < durationNanos ? due : NEVER;
    }

    @Override
    public double rateAt(long elapsedNanos) {
        if (elapsedNanos < 0 || elapsedNanos >= durationNanos) {
            return 0;
        }
        return fromPerSecond + (toPerSecond - fromPerSecond) * elapsedNanos / durationNanos;
    }

    @Override
    public double hitsBefore(long elapsedNanos) {
        double t = Math.clamp(elapsedNanos, 0, durationNanos) / 1e9;
        double seconds = durationNanos / 1e9;
        return fromPerSecond * t + (toPerSecond - fromPerSecond) * t * t / (2 * seconds);
    }
}
