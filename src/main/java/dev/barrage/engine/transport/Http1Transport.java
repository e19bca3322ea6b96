package dev.barrage.engine.transport;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * HTTP/1.1 over blocking sockets, built for virtual-thread workers: the request is encoded once,
 * each session owns one connection and one read buffer, and the response body is discarded as it
 * streams in.
 *
 * <p>Thread-safety: immutable and thread-safe; one transport is shared by all workers of a run,
 * each of which opens its own session.
 */
public final class Http1Transport implements Transport {

    /** Longer timeouts are treated as this, which keeps deadline arithmetic far from overflow. */
    private static final Duration MAX_TIMEOUT = Duration.ofDays(365);

    private final Connector connector;
    private final byte[] request;
    private final long timeoutNanos;
    private final boolean keepAlive;
    private final boolean headRequest;
    private final long probeAfterIdleNanos;

    private Http1Transport(HttpRequestSpec spec, TlsLayer tls, Endpoint endpoint, TargetPolicy policy) {
        if (spec.timeout().isNegative() || spec.timeout().isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + spec.timeout());
        }
        this.connector = new Connector(endpoint, tls, policy);
        this.request = RequestEncoder.encode(spec, endpoint);
        this.timeoutNanos = (spec.timeout().compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : spec.timeout()).toNanos();
        this.keepAlive = spec.keepAlive();
        this.headRequest = spec.method().equals("HEAD");
        this.probeAfterIdleNanos = Http1Session.PROBE_AFTER_IDLE_NANOS;
    }

    private Http1Transport(Http1Transport original, long probeAfterIdleNanos) {
        this.connector = original.connector;
        this.request = original.request;
        this.timeoutNanos = original.timeoutNanos;
        this.keepAlive = original.keepAlive;
        this.headRequest = original.headRequest;
        this.probeAfterIdleNanos = probeAfterIdleNanos;
    }

    /** For tests: probe every idle connection before reuse, however briefly it was idle. */
    Http1Transport probingEveryReuse() {
        return new Http1Transport(this, 0);
    }

    /**
     * Validates and encodes the request once.
     *
     * @throws IllegalArgumentException when the URL is not http(s) with a host, the timeout is not
     *                                  positive, or the method or a header is not valid HTTP (a CR
     *                                  or LF in a header is rejected: header injection)
     */
    public static Http1Transport create(HttpRequestSpec spec) {
        return create(spec, TargetPolicy.ANY);
    }

    /** As {@link #create(HttpRequestSpec)}, refusing every connect the policy does not allow. */
    public static Http1Transport create(HttpRequestSpec spec, TargetPolicy policy) {
        Endpoint endpoint = Endpoint.of(spec.url());
        TlsLayer tls = endpoint.secure() ? TlsLayer.forSpec(spec.insecureTls()) : null;
        return new Http1Transport(spec, tls, endpoint, policy);
    }

    /** For tests: https verified against the given context instead of the default trust store. */
    static Http1Transport create(HttpRequestSpec spec, SSLContext trustedContext) {
        Endpoint endpoint = Endpoint.of(spec.url());
        return new Http1Transport(spec, endpoint.secure() ? TlsLayer.verifying(trustedContext) : null, endpoint,
                TargetPolicy.ANY);
    }

    /** The {@code Host} header value for requests to {@code url}: its host, and its port unless the scheme's default. */
    public static String hostHeaderOf(java.net.URI url) {
        return Endpoint.of(url).hostHeader();
    }

    /** Whether an {@link EventLoop} can carry this transport's exchanges: plain http (no TLS). */
    public boolean servedByEventLoop() {
        return connector.plain();
    }

    Connector connector() {
        return connector;
    }

    byte[] request() {
        return request;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean headRequest() {
        return headRequest;
    }

    @Override
    public TransportSession openSession(StrayBytesListener strayBytes) {
        return new Http1Session(connector, request, timeoutNanos, keepAlive, headRequest, probeAfterIdleNanos, strayBytes);
    }
}
