package dev.barrage.engine.recording;

/**
 * Iterations of the run's scenarios: {@code started = completed + aborted + interrupted}. Immutable.
 *
 * @param aborted     ended early because a capture found nothing (later steps would send garbage)
 * @param interrupted ended early because the duration ended (no request starts after it) or the run
 *                    was cancelled
 */
public record Iterations(long started, long completed, long aborted, long interrupted) {
}
