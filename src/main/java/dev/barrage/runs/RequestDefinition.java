package dev.barrage.runs;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The request every virtual user sends (API.md {@code request}). */
public record RequestDefinition(
        @Pattern(regexp = "(?i)GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS",
                message = "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
        String method,
        @NotBlank @Size(max = 8192) @HttpUrl String url,
        @Size(max = 100) Map<
                @NotBlank @Size(max = 256) @Pattern(regexp = "[!#$%&'*+.^_`|~0-9A-Za-z-]+", message = "must be a valid header name") String,
                @NotNull @Size(max = 8192) @Pattern(regexp = "[^\\r\\n\\x00]*", message = "must not contain line breaks") String> headers,
        @Size(max = 1_048_576) String body,
        @DurationBetween(min = "1ms", max = "5m") Duration timeout,
        Boolean keepAlive,
        Boolean insecureTls) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Whether a {@code {{...}}} placeholder appears in the URL, a header value or the body. */
    static boolean hasTemplates(RequestDefinition request) {
        if (contains(request.url()) || contains(request.body())) {
            return true;
        }
        return request.headers() != null && request.headers().values().stream().anyMatch(RequestDefinition::contains);
    }

    private static boolean contains(String text) {
        return text != null && text.contains("{{");
    }

    /** The path of a URL (templates left as written), for a step's default name: "/orders/{{orderId}}". */
    static String pathOf(String url) {
        if (url == null) {
            return "/";
        }
        int scheme = url.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int slash = url.indexOf('/', from);
        if (slash < 0) {
            return "/";
        }
        int end = url.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = url.indexOf(stop, slash);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return url.substring(slash, end);
    }

    RequestDefinition withDefaults() {
        return new RequestDefinition(
                method == null ? "GET" : method.toUpperCase(Locale.ROOT),
                url,
                headers == null ? Map.of() : new LinkedHashMap<>(headers),
                body,
                timeout == null ? DEFAULT_TIMEOUT : timeout,
                keepAlive == null || keepAlive,
                insecureTls != null && insecureTls);
    }
}
