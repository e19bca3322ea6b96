package dev.barrage.engine.recording;

import java.io.Serializable;

/**
 * What one generator recorded in one interval of a run, for a merge into the run's figures: the
 * interval's latency histograms in HdrHistogram's compressed encoding (same range and precision on
 * every generator) and the recorder's running totals at its end. {@code sequence} numbers a
 * generator's shipments from 1 and makes a shipment that arrives twice count once.
 *
 * <p>Immutable by convention: the arrays are never changed once made.
 */
public record IntervalShipment(long sequence, long elapsedNanos, byte[] success, byte[] failure,
                               byte[] service, byte[] retracted, byte[][] stepSuccess, byte[][] stepFailure,
                               byte[][] stepRetracted, RecorderTotals totals) implements Serializable {
}
