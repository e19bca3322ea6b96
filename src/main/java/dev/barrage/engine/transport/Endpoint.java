package dev.barrage.engine.transport;

import java.net.URI;
import java.util.Locale;

/**
 * Where requests go, derived once from the target URL. Immutable.
 *
 * @param host       host name or IP literal to resolve and to verify the certificate against
 *                   (IPv6 without brackets)
 * @param hostHeader value of the {@code Host} request header: the URL's host, with the port when
 *                   it is not the scheme's default
 */
record Endpoint(String host, int port, boolean secure, String hostHeader) {

    static Endpoint of(URI url) {
        String scheme = url.getScheme();
        boolean secure = switch (scheme == null ? "" : scheme.toLowerCase(Locale.ROOT)) {
            case "http" -> false;
            case "https" -> true;
            default -> throw new IllegalArgumentException("URL scheme must be http or https: " + url);
        };
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL has no (valid) host: " + url);
        }
        int defaultPort = secure ? 443 : 80;
        int port = url.getPort() == -1 ? defaultPort : url.getPort();
        String hostHeader = port == defaultPort ? host : host + ":" + port;
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String bareHost = bracketed ? host.substring(1, host.length() - 1) : host;
        return new Endpoint(bareHost, port, secure, hostHeader);
    }
}
