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
                @NotBlank @Pattern(regexp = "[!#$%&'*+.^_`|~0-9A-Za-z-]+", message = "must be a valid header name") String,
                @NotNull @Size(max = 8192) @Pattern(regexp = "[^\\r\\n\\x00]*", message = "must not contain line breaks") String> headers,
        @Size(max = 1_048_576) String body,
        @DurationBetween(min = "1ms", max = "5m") Duration timeout,
        Boolean keepAlive,
        Boolean insecureTls) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

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
