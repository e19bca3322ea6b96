package dev.barrage.config;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Barrage's front door, in front of every request and dispatch (see {@link SecurityConfig}). It does
 * what Spring Security did for Barrage, in the same order:
 *
 * <ol>
 * <li><b>Malformed requests are refused</b> with 400 (a {@code bad-request} problem, from
 * {@code /error}), whether or not an API key is set: a method other than GET, HEAD, POST, PUT,
 * PATCH, DELETE and OPTIONS; a request URI with anything but printable ASCII, a {@code ;},
 * {@code \}, {@code //}, a {@code .} or {@code ..} segment, or an encoded {@code /}, {@code \},
 * {@code .}, {@code %}, {@code ;}, NUL, CR or LF; a decoded path with {@code %}, {@code ;},
 * {@code \}, {@code //}, a control or line-separator character. (The rules of Spring Security's
 * StrictHttpFirewall that apply before the request is read.) So no second spelling of a protected
 * path gets past the match below.</li>
 * <li><b>The API key</b>: with {@code barrage.security.api-key} set, {@code /tests},
 * {@code /tests/**} and, when {@code barrage.security.protect-metrics} is true,
 * {@code /actuator/prometheus} (and below) need {@code Authorization: Bearer <key>} (the scheme in
 * any case, the key stripped), compared in constant time over SHA-256 digests. The path matched is
 * the decoded, normalized path within the application (servlet path plus path info: no context
 * path, no path parameters), in any case. Everything else, {@code /actuator/health} included, is
 * open, and there the header is not even read: a wrong key does not turn it into a 401. A missing
 * or wrong key is a 401 {@code unauthorized} problem with {@code WWW-Authenticate: Bearer
 * realm="barrage"}, and the request goes no further.</li>
 * <li><b>Default headers</b> on the answer to each request (not on the error page's own
 * dispatch): {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY},
 * {@code X-XSS-Protection: 0}, HSTS over HTTPS, and, unless the application set its own
 * {@code Cache-Control}, {@code Expires} or {@code Pragma} or answered 304,
 * {@code Cache-Control: no-cache, no-store, max-age=0, must-revalidate}, {@code Pragma: no-cache}
 * and {@code Expires: 0}. They are added just before the answer can be committed, when the
 * application's own headers are known.</li>
 * </ol>
 */
final class SecurityFilter implements Filter {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Never in the request URI as sent (compared in lower case). */
    private static final List<String> RAW_REFUSED = List.of(";", "\\", "//", "%2f", "%5c", "%2e", "%25", "%3b", "%00", "%0a", "%0d");
    /** Never in the decoded servlet path or path info. */
    private static final List<String> DECODED_REFUSED = List.of(";", "\\", "//", "%", "\0", "\n", "\r", "\u2028", "\u2029");
    private static final URI UNAUTHORIZED = URI.create("https://barrage.dev/problems/unauthorized");
    static final String MISSING = "Send the API key as 'Authorization: Bearer <key>' (barrage.security.api-key is set on this server).";
    static final String WRONG = "The API key in the Authorization header is wrong.";

    /** The key's digest; null when no key is set and everything is open. */
    private final byte[] key;
    private final boolean protectMetrics;
    private final JsonMapper json;

    SecurityFilter(BarrageProperties.Security security, JsonMapper json) {
        this.key = security.enabled() ? sha256(security.apiKey()) : null;
        this.protectMetrics = security.protectMetrics();
        this.json = json;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (malformed(request)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST); // /error answers it as a problem
            return;
        }
        DefaultHeaders headers = request.getDispatcherType() == DispatcherType.REQUEST
                ? new DefaultHeaders(response, request.isSecure()) : null;
        HttpServletResponse answer = headers == null ? response : headers;
        try {
            String refusal = refusal(request);
            if (refusal == null) {
                chain.doFilter(request, answer);
            } else {
                unauthorized(request, answer, refusal);
            }
        } finally {
            if (headers != null) {
                headers.write();
            }
        }
    }

    static boolean malformed(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (!METHODS.contains(request.getMethod()) || !printableAscii(uri) || !normalized(uri)
                || !normalized(request.getServletPath()) || !normalized(request.getPathInfo())) {
            return true;
        }
        String lower = uri.toLowerCase(Locale.ROOT);
        for (String refused : RAW_REFUSED) {
            if (lower.contains(refused)) {
                return true;
            }
        }
        for (String refused : DECODED_REFUSED) {
            if (request.getServletPath().contains(refused)
                    || (request.getPathInfo() != null && request.getPathInfo().contains(refused))) {
                return true;
            }
        }
        return false;
    }

    /** Why the request is refused (the 401's detail), or null when it may pass. */
    private String refusal(HttpServletRequest request) {
        if (key == null || !isProtected(pathWithinApplication(request))) {
            return null;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return MISSING;
        }
        // digests have one length, so the comparison time says nothing about the key
        return MessageDigest.isEqual(key, sha256(header.substring(7).strip())) ? null : WRONG;
    }

    boolean isProtected(String path) {
        return startsWithSegments(path, "/tests") || (protectMetrics && startsWithSegments(path, "/actuator/prometheus"));
    }

    /** The path within the application as Tomcat decoded and normalized it: no context path, no ;parameters. */
    private static String pathWithinApplication(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
    }

    /** Whether {@code path} is {@code prefix} or below it, in any case. */
    private static boolean startsWithSegments(String path, String prefix) {
        return path.regionMatches(true, 0, prefix, 0, prefix.length())
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
        problem.setType(UNAUTHORIZED);
        problem.setTitle("API key required");
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("WWW-Authenticate", "Bearer realm=\"barrage\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** No {@code .} or {@code ..} segment. */
    private static boolean normalized(String path) {
        if (path == null) {
            return true;
        }
        String segments = "/" + path + "/";
        return !segments.contains("/./") && !segments.contains("/../");
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
