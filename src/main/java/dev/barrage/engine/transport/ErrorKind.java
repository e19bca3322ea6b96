package dev.barrage.engine.transport;

/** Why a request failed without a usable HTTP response. The names are part of the public API. */
public enum ErrorKind {
    /** The response did not arrive within the request timeout. */
    TIMEOUT,
    /** The target actively refused the TCP connection. */
    CONNECTION_REFUSED,
    /** The peer reset the connection (TCP RST) after the request was written, before the response was complete. */
    CONNECTION_RESET,
    /**
     * The peer closed the connection cleanly (TCP FIN) after the request was written, before the
     * response was complete. The request is not sent again: the target may have acted on it.
     */
    CONNECTION_CLOSED,
    /** The TCP connection could not be established within the request timeout (a slow TLS handshake is TIMEOUT). */
    CONNECT_TIMEOUT,
    /** The target host name did not resolve. */
    UNKNOWN_HOST,
    /** The TLS handshake or session failed (certificate, protocol, cipher). */
    TLS,
    /** The target answered something that is not valid HTTP/1.1. */
    PROTOCOL,
    /**
     * The host name resolved, at connect time, to an address {@code barrage.targets.allow} does not
     * allow (its DNS answer changed after the run was accepted); nothing was sent.
     */
    TARGET_NOT_ALLOWED,
    /** Any other failure; a sign of a bug or an unusual environment. */
    OTHER
}
