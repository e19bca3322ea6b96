package dev.barrage.engine.recording;

import java.util.HashMap;
import java.util.Map;

/**
 * The coordinator's side of a distributed run: adds each generator's interval shipments into one
 * {@link RunRecorder}, which an ordinary {@link RunSampler} then samples, so the merged summary,
 * timeline, steps, checks, thresholds and warnings are computed exactly as for one generator. The
 * merged histograms hold the same buckets with the same counts as one histogram fed every request,
 * so their percentiles are the same. A shipment that arrives again (a retried send) is not added
 * twice; one that never arrived still has its counts in the next one (totals are running totals),
 * though not its latencies, and is counted in {@link #missedIntervals()}.
 *
 * <p>Thread-safety: {@link #add} is synchronized; the recorder is safe to sample meanwhile.
 */
public final class ShipmentMerger {

    private final RunRecorder merged;
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final Map<String, RecorderTotals> lastTotals = new HashMap<>();
    private long missedIntervals;

    public ShipmentMerger(RunRecorder merged) {
        this.merged = merged;
    }

    public RunRecorder recorder() {
        return merged;
    }

    /** Adds generator {@code generator}'s shipment; false, adding nothing, when it was added before. */
    public synchronized boolean add(String generator, IntervalShipment shipment) {
        long last = lastSequence.getOrDefault(generator, 0L);
        if (shipment.sequence() <= last) {
            return false;
        }
        missedIntervals += shipment.sequence() - last - 1;
        merged.absorb(shipment, lastTotals.getOrDefault(generator, merged.emptyTotals()));
        lastSequence.put(generator, shipment.sequence());
        lastTotals.put(generator, shipment.totals());
        return true;
    }

    /** The newest shipment added from {@code generator} (0: none yet). */
    public synchronized long lastSequence(String generator) {
        return lastSequence.getOrDefault(generator, 0L);
    }

    /** Intervals whose shipment never came before a later one did: their latencies are missing. */
    public synchronized long missedIntervals() {
        return missedIntervals;
    }
}
