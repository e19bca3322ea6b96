package dev.barrage.engine;

/**
 * How a run's load ended.
 *
 * @param elapsedNanos from the start until the last request ended
 * @param failure      the engine's own failure when {@code outcome} is FAILED, else null
 */
public record RunEnd(Outcome outcome, long elapsedNanos, Throwable failure) {

    public enum Outcome { COMPLETED, CANCELLED, FAILED }
}
