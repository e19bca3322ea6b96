package dev.barrage.engine.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The one request a run sends over and over. Immutable; the transport encodes it once.
 *
 * @param headers     extra request headers in the order given; {@code Host}, {@code Content-Length}
 *                    and {@code Connection} are set by the transport unless given here
 * @param body        request body, empty for none
 * @param timeout     deadline for the whole exchange: connect, TLS handshake, send, whole response
 * @param keepAlive   reuse one connection per session; false opens a connection per request
 * @param insecureTls accept any server certificate and host name (self-signed test targets)
 */
public record HttpRequestSpec(String method, URI url, Map<String, String> headers, byte[] body,
                              Duration timeout, boolean keepAlive, boolean insecureTls) {

    public HttpRequestSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }
}
