package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestEncoderTest {

    private static HttpRequestSpec spec(String method, String url, Map<String, String> headers, String body,
                                        boolean keepAlive) {
        return new HttpRequestSpec(method, URI.create(url), headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1), keepAlive, false);
    }

    private static String encode(HttpRequestSpec spec) {
        return new String(RequestEncoder.encode(spec, Endpoint.of(spec.url())), StandardCharsets.UTF_8);
    }

    @Test
    void getWithPathQueryAndDefaults() {
        assertThat(encode(spec("GET", "http://example.test/a/b%20c?x=1&y=%2F#fragment", null, null, true)))
                .isEqualTo("GET /a/b%20c?x=1&y=%2F HTTP/1.1\r\n"
                        + "Host: example.test\r\n"
                        + "User-Agent: barrage\r\n"
                        + "Accept: */*\r\n"
                        + "\r\n");
    }

    @Test
    void emptyPathBecomesSlashAndNonDefaultPortGoesInHost() {
        assertThat(encode(spec("GET", "http://127.0.0.1:8080", null, null, true)))
                .startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.test:80/", "https://example.test:443/", "https://example.test/"})
    void defaultPortIsLeftOutOfHost(String url) {
        assertThat(encode(spec("GET", url, null, null, true))).contains("\r\nHost: example.test\r\n");
    }

    @Test
    void ipv6HostKeepsItsBracketsInHostButNotForConnecting() {
        HttpRequestSpec spec = spec("GET", "http://[::1]:8080/", null, null, true);

        assertThat(encode(spec)).contains("\r\nHost: [::1]:8080\r\n");
        assertThat(Endpoint.of(spec.url())).isEqualTo(new Endpoint("::1", 8080, false, "[::1]:8080"));
    }

    @Test
    void postWithBodyAndUserHeadersInOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Second", "2");
        headers.put("Content-Type", "application/json");
        headers.put("X-First", "1");

        assertThat(encode(spec("POST", "http://example.test:9000/orders", headers, "{\"a\":\"é\"}", true)))
                .isEqualTo("POST /orders HTTP/1.1\r\n"
                        + "Host: example.test:9000\r\n"
                        + "X-Second: 2\r\n"
                        + "Content-Type: application/json\r\n"
                        + "X-First: 1\r\n"
                        + "User-Agent: barrage\r\n"
                        + "Accept: */*\r\n"
                        + "Content-Length: 10\r\n"
                        + "\r\n"
                        + "{\"a\":\"é\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH"})
    void methodsThatCarryABodyAlwaysSendALength(String method) {
        assertThat(encode(spec(method, "http://example.test/", null, null, true))).contains("\r\nContent-Length: 0\r\n");
    }

    @Test
    void getWithABodySendsItsLength() {
        assertThat(encode(spec("GET", "http://example.test/", null, "abc", true)))
                .endsWith("\r\nContent-Length: 3\r\n\r\nabc");
    }

    @Test
    void userHeadersOverrideHostUserAgentAndAccept() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("HOST", "virtual.test");
        headers.put("User-Agent", "custom/1.0");

        assertThat(encode(spec("GET", "http://example.test/", headers, null, true)))
                .isEqualTo("GET / HTTP/1.1\r\n"
                        + "accept: application/json\r\n"
                        + "HOST: virtual.test\r\n"
                        + "User-Agent: custom/1.0\r\n"
                        + "\r\n");
    }

    @Test
    void keepAliveOffAsksTheServerToClose() {
        assertThat(encode(spec("GET", "http://example.test/", null, null, false)))
                .endsWith("Accept: */*\r\nConnection: close\r\n\r\n");
    }

    @Test
    void userContentLengthMustMatchTheBody() {
        assertThat(encode(spec("PUT", "http://example.test/", Map.of("Content-Length", "2"), "ab", true)))
                .containsOnlyOnce("Content-Length").endsWith("Content-Length: 2\r\nUser-Agent: barrage\r\nAccept: */*\r\n\r\nab");
        assertThatThrownBy(() -> encode(spec("PUT", "http://example.test/", Map.of("Content-Length", "3"), "ab", true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userTransferEncodingMeansTheUserFramedTheBody() {
        assertThat(encode(spec("POST", "http://example.test/", Map.of("Transfer-Encoding", "chunked"), "0\r\n\r\n", true)))
                .doesNotContain("Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\r\nX-Injected: 1", "evil\nX-Injected: 1", "evil\r", "nul\0"})
    void headerValuesWithLineBreaksAreRejected(String value) {
        assertThatThrownBy(() -> encode(spec("GET", "http://example.test/", Map.of("X-Test", value), null, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X-Test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Evil\r\nX-Injected", "X-Evil\n", "", "Bad Name", "Bad:Name", "Ünicode"})
    void invalidHeaderNamesAreRejected(String name) {
        assertThatThrownBy(() -> encode(spec("GET", "http://example.test/", Map.of(name, "v"), null, true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /evil HTTP/1.1\r\n", "GE T", ""})
    void invalidMethodsAreRejected(String method) {
        assertThatThrownBy(() -> encode(spec(method, "http://example.test/", null, null, true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.test/", "/relative/path", "mailto:someone@example.test", "http:///no-host"})
    void onlyHttpUrlsWithAHostAreAccepted(String url) {
        assertThatThrownBy(() -> Endpoint.of(URI.create(url))).isInstanceOf(IllegalArgumentException.class);
    }
}
