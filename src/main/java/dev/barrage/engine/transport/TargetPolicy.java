package dev.barrage.engine.transport;

import java.net.InetAddress;

/**
 * Which addresses a run may send to. Checked when a run is submitted and again on every connect,
 * against the address the host name resolves to at that moment, so a DNS answer that changes
 * mid-run (DNS rebinding) cannot redirect load elsewhere. Thread-safety: implementations are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface TargetPolicy {

    TargetPolicy ANY = (host, address) -> true;

    /** Whether a connection to {@code address}, resolved from {@code host}, is allowed. */
    boolean allows(String host, InetAddress address);
}
