package dev.barrage.engine.transport;

/** Makes the transport for a run's request. Thread-safe. */
@FunctionalInterface
public interface TransportFactory {

    /** @throws IllegalArgumentException when the request cannot be sent (e.g. a header with a line break) */
    Transport create(HttpRequestSpec request);
}
