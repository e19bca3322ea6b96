package dev.barrage.engine.recording;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one histogram scale every latency in Barrage is recorded in: microseconds from 1 µs to
 * 1 hour with 3 significant digits (0.1% resolution). Values above the range are clamped to it,
 * so a pathological stall is reported as "at least an hour" instead of being lost.
 */
public final class LatencyScale {

    static final long LOWEST_MICROS = 1;
    static final long HIGHEST_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;
    /** Per-step figures: 1 % resolution keeps fifty steps' histograms to about 13 MB per run. */
    static final int STEP_SIGNIFICANT_DIGITS = 2;

    private LatencyScale() {
    }

    static Recorder newRecorder() {
        return new Recorder(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    static Histogram newHistogram() {
        return new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Nanoseconds to whole microseconds, rounded to nearest and clamped to the scale. */
    public static long toMicros(long nanos) {
        long micros = (nanos + 500) / 1000;
        if (micros < 0) {
            return 0;
        }
        return Math.min(micros, HIGHEST_MICROS);
    }

    /** Microseconds to milliseconds, keeping microsecond precision: 12345 µs is 12.345 ms. */
    static double toMillis(long micros) {
        return micros / 1000.0;
    }
}
