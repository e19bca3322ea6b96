package dev.barrage.runs;

/**
 * Where a generator's share sends its shipments (the cluster). Called on the aggregation lane: must
 * not block (an asynchronous put); a message is the same whenever it is sent again.
 */
@FunctionalInterface
public interface ShipmentSink {

    void ship(String runId, NodeShipment shipment);
}
