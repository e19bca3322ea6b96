package dev.barrage.engine.transport;

/**
 * Told when bytes nobody asked for turn up on an idle keep-alive connection after its last
 * response: a second, unrequested response or a late body. That last response was then not a
 * valid answer, so the request it answered, already reported as a response, is a
 * {@link ErrorKind#PROTOCOL} error after all; the connection is closed and never blamed on the
 * next request.
 *
 * <p>Called on the session's own thread, before its next exchange starts or while it closes.
 */
@FunctionalInterface
public interface StrayBytesListener {

    StrayBytesListener IGNORE = () -> { };

    void lastResponseFollowedByStrayBytes();
}
