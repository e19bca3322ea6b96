package dev.barrage.engine;

/** A monotonic clock in nanoseconds; the engine reads time only through it, so tests can drive time. */
@FunctionalInterface
public interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
