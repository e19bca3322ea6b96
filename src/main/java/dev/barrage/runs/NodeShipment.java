package dev.barrage.runs;

import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.IntervalShipment;
import java.io.Serializable;

/**
 * One message from a generator of a distributed run to every node that merges it: an interval of its
 * share ({@code interval}, null only in a final message with nothing left to ship), numbered from 1 per
 * generator by {@code message}, with how late it started and, in its last message, how its share ended.
 *
 * @param generator   the generator's index in the run, from 1
 * @param startSkewMs how much later than the run's common start instant the share started (0 before it did)
 * @param last        whether this is the generator's last message for the run
 * @param outcome     how the share ended; set in the last message only
 * @param failure     why the share failed (or could not start); set in a last message only
 * @param stealShare  the share of the generator's machine's CPU time its hypervisor gave to other
 *                    machines while the share ran ({@link HostCpu}), 0..1; set in the last message of a
 *                    share that started, and only where the machine tells
 */
public record NodeShipment(int generator, long message, IntervalShipment interval, double startSkewMs, boolean last,
                           RunEnd.Outcome outcome, String failure, Double stealShare) implements Serializable {
}
