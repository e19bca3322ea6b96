package dev.barrage.engine.transport;

/**
 * The outcome of one request: either an HTTP status or an {@link ErrorKind}, plus the bytes
 * that crossed the wire for it (headers and body, both directions).
 */
public record Exchange(int status, ErrorKind error, long bytesSent, long bytesReceived) {

    public static Exchange response(int status, long bytesSent, long bytesReceived) {
        return new Exchange(status, null, bytesSent, bytesReceived);
    }

    public static Exchange failure(ErrorKind error, long bytesSent, long bytesReceived) {
        return new Exchange(0, error, bytesSent, bytesReceived);
    }

    public boolean failed() {
        return error != null;
    }
}
