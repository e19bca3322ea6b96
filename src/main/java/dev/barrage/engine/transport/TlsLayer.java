package dev.barrage.engine.transport;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for https targets: one {@link SSLContext} per transport (so TLS sessions are resumed across
 * the run's connections), layered over an already connected TCP socket.
 *
 * <p>Thread-safety: immutable and thread-safe; shared by all sessions of a transport.
 */
final class TlsLayer {

    private final SSLSocketFactory factory;
    private final boolean verifyHostname;

    private TlsLayer(SSLContext context, boolean verifyHostname) {
        this.factory = context.getSocketFactory();
        this.verifyHostname = verifyHostname;
    }

    /** Default trust store and host name verification, or, when insecure, trust anything. */
    static TlsLayer forSpec(boolean insecure) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, insecure ? new TrustManager[] {new TrustEverything()} : null, null);
            return new TlsLayer(context, !insecure);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** A verifying layer over a caller-supplied context (tests use it to trust their own CA). */
    static TlsLayer verifying(SSLContext context) {
        return new TlsLayer(context, true);
    }

    /**
     * Wraps the connected socket and completes the handshake before the deadline. The host is
     * passed on so that the JDK sends it as SNI (unless it is an IP literal) and, when verifying,
     * checks the certificate for it.
     */
    SSLSocket handshake(Socket tcp, String host, int port, long deadlineNanos) throws IOException {
        SSLSocket tls = (SSLSocket) factory.createSocket(tcp, host, port, true);
        if (verifyHostname) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        Watchdog.runBounded(tcp, deadlineNanos, "TLS handshake", tls::startHandshake);
        return tls;
    }

    /**
     * Accepts every certificate chain. Extends the "extended" manager so the JDK does not add its
     * own host name check on top.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
