package dev.barrage.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * What the coordinator asks of one generator through Hazelcast's executor service: prepare its share
 * (answers null, or why it cannot), start it at the common instant, or stop it. Runs on the member it
 * is sent to, which finds its {@link ClusterRuns} in the Hazelcast user context.
 *
 * <p>Immutable; each instance is deserialized and run once on its member.
 */
final class ShareTask implements Callable<String>, Serializable, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { PREPARE, START, CANCEL }

    private final Kind kind;
    private final String runId;
    private final int generator;
    private final long startAtClusterMillis;
    private transient HazelcastInstance instance;

    private ShareTask(Kind kind, String runId, int generator, long startAtClusterMillis) {
        this.kind = kind;
        this.runId = runId;
        this.generator = generator;
        this.startAtClusterMillis = startAtClusterMillis;
    }

    static ShareTask prepare(String runId, int generator) {
        return new ShareTask(Kind.PREPARE, runId, generator, 0);
    }

    static ShareTask start(String runId, long startAtClusterMillis) {
        return new ShareTask(Kind.START, runId, 0, startAtClusterMillis);
    }

    static ShareTask cancel(String runId) {
        return new ShareTask(Kind.CANCEL, runId, 0, 0);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.instance = hazelcastInstance;
    }

    @Override
    public String call() {
        Object here = instance.getUserContext().get(ClusterRuns.USER_CONTEXT_KEY);
        if (!(here instanceof ClusterRuns runs)) {
            return "this node's Barrage is not ready (still starting or stopping)";
        }
        return switch (kind) {
            case PREPARE -> runs.prepareHere(runId, generator);
            case START -> runs.startHere(runId, startAtClusterMillis);
            case CANCEL -> runs.cancelHere(runId);
        };
    }
}
