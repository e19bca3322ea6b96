package dev.barrage.engine.transport;

import java.io.IOException;

/** The peer sent bytes that are not a valid HTTP/1.1 response; reported as {@link ErrorKind#PROTOCOL}. */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super(message);
    }
}
