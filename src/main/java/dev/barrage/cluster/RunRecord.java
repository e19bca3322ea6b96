package dev.barrage.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A distributed run as the cluster keeps it (IMap {@code barrage-runs}): what every node needs to
 * show and merge it, and what the coordinator decided. Changed only by {@link RecordUpdate} entry
 * processors, so concurrent decisions never overwrite each other.
 *
 * <p>Immutable.
 *
 * @param startAtClusterMillis the common start instant by the cluster clock; 0 until every generator prepared
 * @param failedBeforeStart    why the run could not start (a generator could not prepare); null otherwise
 * @param lost                 generator number to the last of its messages that counts (it left the cluster)
 * @param aborted              whether the coordinator stopped the other generators after a loss (onNodeLoss abort)
 */
record RunRecord(String id, String definitionJson, long createdAtMillis, String coordinatorUuid, String coordinatorAddress,
                 List<String> generatorUuids, List<String> generatorAddresses, long startAtClusterMillis,
                 boolean cancelRequested, String failedBeforeStart, Map<Integer, Long> lost, boolean aborted)
        implements Serializable {

    RunRecord {
        generatorUuids = List.copyOf(generatorUuids);
        generatorAddresses = List.copyOf(generatorAddresses);
        lost = Map.copyOf(lost);
    }

    int generators() {
        return generatorUuids.size();
    }

    /** The generator number (from 1) of member {@code uuid}, 0 when it is not one. */
    int generatorOf(String uuid) {
        return generatorUuids.indexOf(uuid) + 1;
    }

    RunRecord startingAt(long clusterMillis) {
        return new RunRecord(id, definitionJson, createdAtMillis, coordinatorUuid, coordinatorAddress, generatorUuids,
                generatorAddresses, clusterMillis, cancelRequested, failedBeforeStart, lost, aborted);
    }

    RunRecord cancelled() {
        return new RunRecord(id, definitionJson, createdAtMillis, coordinatorUuid, coordinatorAddress, generatorUuids,
                generatorAddresses, startAtClusterMillis, true, failedBeforeStart, lost, aborted);
    }

    RunRecord failedBeforeStart(String reason) {
        return failedBeforeStart != null || startAtClusterMillis != 0 ? this
                : new RunRecord(id, definitionJson, createdAtMillis, coordinatorUuid, coordinatorAddress, generatorUuids,
                        generatorAddresses, startAtClusterMillis, cancelRequested, reason, lost, aborted);
    }

    RunRecord withLost(int generator, long lastMessage, boolean abort) {
        Map<Integer, Long> more = new HashMap<>(lost);
        more.putIfAbsent(generator, lastMessage);
        return new RunRecord(id, definitionJson, createdAtMillis, coordinatorUuid, coordinatorAddress, generatorUuids,
                generatorAddresses, startAtClusterMillis, cancelRequested, failedBeforeStart, more, aborted || abort);
    }

    RunRecord coordinatedBy(String uuid, String address) {
        return new RunRecord(id, definitionJson, createdAtMillis, uuid, address, generatorUuids, generatorAddresses,
                startAtClusterMillis, cancelRequested, failedBeforeStart, lost, aborted);
    }
}
