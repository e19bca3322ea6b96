package dev.barrage.runs;

/** Told when runs start and end (metrics count outcomes). Called on the aggregation lane; must be quick. */
public interface RunListener {

    default void runStarted(Run run) {
    }

    default void runFinished(Run run) {
    }

    default void runEvicted(Run run) {
    }
}
