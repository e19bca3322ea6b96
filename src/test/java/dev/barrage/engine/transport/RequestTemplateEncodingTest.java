package dev.barrage.engine.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.scenario.ByteBuilder;
import dev.barrage.engine.scenario.RequestTemplate;
import dev.barrage.engine.scenario.Template;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scenario step's request is put together by {@link RequestTemplate}, a single request's by
 * {@link RequestEncoder}: for the same request they must send the same bytes, so a test moved from
 * {@code request} to {@code scenarios} does not change what the target sees.
 */
class RequestTemplateEncodingTest {

    private static final Template.Names NAMES = new Template.Names(Map.of(), List.of("name", "n"), List.of());

    /** A request as both encoders take it. */
    record Case(String label, String method, String url, Map<String, String> headers, String body, boolean keepAlive) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> literalRequests() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("X-Second", "2");
        ordered.put("Content-Type", "application/json");
        ordered.put("X-First", "1");
        Map<String, String> ownDefaults = new LinkedHashMap<>();
        ownDefaults.put("Accept", "application/json");
        ownDefaults.put("Host", "other.test:9999");
        ownDefaults.put("User-Agent", "shop-monitor/2.1");
        return Stream.of(
                new Case("GET with path and query", "GET", "http://example.test/a/b%20c?x=1&y=%2F", Map.of(), null, true),
                new Case("GET of the root with a port", "GET", "http://127.0.0.1:8080/", Map.of(), null, true),
                new Case("GET over https on its default port", "GET", "https://example.test:443/secure", Map.of(), null, true),
                new Case("POST with body and headers in order", "POST", "http://example.test:9000/orders", ordered,
                        "{\"a\":\"é\"}", true),
                new Case("POST without a body", "POST", "http://example.test/empty", Map.of(), null, true),
                new Case("PUT with a body", "PUT", "http://example.test/items/7", Map.of(), "qty=2", true),
                new Case("DELETE with a body", "DELETE", "http://example.test/items/7", Map.of(), "why", true),
                new Case("HEAD", "HEAD", "http://example.test/health", Map.of(), null, true),
                new Case("own Host, User-Agent and Accept", "GET", "http://example.test/x", ownDefaults, null, true),
                new Case("GET without keep-alive", "GET", "http://example.test/x", Map.of(), null, false),
                new Case("POST without keep-alive", "POST", "http://example.test/x", ordered, "{}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literalRequests")
    void aLiteralTemplateSendsTheSingleRequestEncodersBytes(Case request) {
        RequestTemplate template = template(request, false);

        assertThat(template.literal()).isNotNull();
        assertThat(text(template.literal())).isEqualTo(text(encoder(request)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literalRequests")
    void aTemplateThatTakesCookiesButGetsNoneEncodesTheSameBytes(Case request) {
        RequestTemplate template = template(request, true);

        assertThat(template.literal()).as("cookies vary per user, so nothing is encoded ahead").isNull();
        assertThat(text(encode(template, new Values(), null))).isEqualTo(text(encoder(request)));
    }

    @Test
    void aTemplatedBodyGetsTheContentLengthOfItsUtf8Bytes() {
        Values row = new Values("Zoë 🚀 日本", "7");
        Case templated = new Case("templated", "POST", "http://example.test/items?page={{data.n}}",
                Map.of("Content-Type", "application/json"), "{\"name\":\"{{data.name}}\",\"n\":{{data.n}}}", true);
        Case expanded = new Case("expanded", "POST", "http://example.test/items?page=7",
                Map.of("Content-Type", "application/json"), "{\"name\":\"Zoë 🚀 日本\",\"n\":7}", true);

        String sent = text(encode(template(templated, true), row, null));

        assertThat(sent).isEqualTo(text(encoder(expanded)));
        assertThat(sent).contains("\r\nContent-Length: "
                + "{\"name\":\"Zoë 🚀 日本\",\"n\":7}".getBytes(StandardCharsets.UTF_8).length + "\r\n");
    }

    @Test
    void aBodyThatExpandsToNothingSendsNoLengthForAGetAndZeroForAPost() {
        Values empty = new Values("", "");

        assertThat(text(encode(template(new Case("get", "GET", "http://example.test/", Map.of(), "{{data.name}}", true), true),
                empty, null))).isEqualTo(text(encoder(new Case("get", "GET", "http://example.test/", Map.of(), null, true))));
        assertThat(text(encode(template(new Case("post", "POST", "http://example.test/", Map.of(), "{{data.name}}", true), true),
                empty, null))).isEqualTo(text(encoder(new Case("post", "POST", "http://example.test/", Map.of(), null, true))));
    }

    /**
     * A value whose first character takes two bytes, then plain ASCII: its UTF-8 is one byte longer
     * than its length in characters, and at some length that byte no longer fits the buffer a user
     * encodes into (256 bytes for the body to start with, 512 for the request).
     */
    @Test
    void aMultiByteValueIsEncodedWholeWhateverItsLengthAndTheBuffersSize() {
        Case templated = new Case("templated", "POST", "http://example.test/p", Map.of("X-Name", "{{data.name}}"),
                "{{data.name}}", true);
        RequestTemplate template = template(templated, true);
        List<Integer> wrong = new ArrayList<>();
        for (int length = 1; length <= 600; length++) {
            String value = "é" + "a".repeat(length - 1);
            Case expanded = new Case("expanded", "POST", "http://example.test/p", Map.of("X-Name", value), value, true);
            try {
                if (!text(encode(template, new Values(value, "1"), null)).equals(text(encoder(expanded)))) {
                    wrong.add(length);
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                wrong.add(length);
            }
        }
        assertThat(wrong).as("value lengths encoded wrongly or not at all").isEmpty();
    }

    @Test
    void aCookieLineIsInsertedAfterTheDefaultHeadersWhenGiven() {
        byte[] cookie = "Cookie: sid=abc; theme=dark\r\n".getBytes(StandardCharsets.US_ASCII);
        Case get = new Case("get", "GET", "http://example.test/profile", Map.of("X-A", "1"), null, true);
        Case post = new Case("post", "POST", "http://example.test/orders", Map.of("X-A", "1"), "{\"qty\":1}", false);

        assertThat(text(encode(template(get, true), new Values(), cookie)))
                .isEqualTo(text(encoder(get)).replace("Accept: */*\r\n", "Accept: */*\r\nCookie: sid=abc; theme=dark\r\n"));
        assertThat(text(encode(template(post, true), new Values(), cookie)))
                .isEqualTo(text(encoder(post)).replace("Accept: */*\r\n", "Accept: */*\r\nCookie: sid=abc; theme=dark\r\n"));
    }

    @Test
    void aRequestEncodedAgainIntoTheSameBuffersIsTheSameRequest() {
        Case templated = new Case("templated", "POST", "http://example.test/p?n={{data.n}}", Map.of(), "{{data.name}}", true);
        RequestTemplate template = template(templated, true);
        ByteBuilder out = new ByteBuilder(16);
        ByteBuilder body = new ByteBuilder(16);

        template.encode(new Values("a long first value, longer than the second", "1"), null, out, body);
        template.encode(new Values("short", "2"), null, out, body);

        assertThat(text(out.toArray())).isEqualTo(text(encoder(new Case("expanded", "POST", "http://example.test/p?n=2",
                Map.of(), "short", true))));
    }

    private static RequestTemplate template(Case request, boolean cookies) {
        int authorityEnd = request.url().indexOf('/', request.url().indexOf("://") + 3);
        String target = request.url().substring(authorityEnd);
        List<RequestTemplate.Header> headers = new ArrayList<>();
        request.headers().forEach((name, value) -> headers.add(new RequestTemplate.Header(name, Template.compile(value, NAMES))));
        String hostHeader = Endpoint.of(URI.create(request.url().replace("{{data.n}}", "0"))).hostHeader();
        return new RequestTemplate(request.method(), Template.compile(target, NAMES), hostHeader, headers,
                request.body() == null ? null : Template.compile(request.body(), NAMES), request.keepAlive(), cookies);
    }

    /** Encodes into buffers of the sizes a virtual user starts with. */
    private static byte[] encode(RequestTemplate template, Values values, byte[] cookie) {
        ByteBuilder out = new ByteBuilder(512);
        template.encode(values, cookie, out, new ByteBuilder(256));
        return out.toArray();
    }

    private static byte[] encoder(Case request) {
        HttpRequestSpec spec = new HttpRequestSpec(request.method(), URI.create(request.url()), request.headers(),
                request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1),
                request.keepAlive(), false);
        return RequestEncoder.encode(spec, Endpoint.of(spec.url()));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One data row; nothing else is asked of it. */
    private record Values(String... row) implements Template.Values {

        @Override
        public String data(int field) {
            return row[field];
        }

        @Override
        public String capture(int index) {
            throw new AssertionError("no captures here");
        }

        @Override
        public int vu() {
            return 1;
        }

        @Override
        public long iteration() {
            return 0;
        }

        @Override
        public SplittableRandom random() {
            return new SplittableRandom(1);
        }

        @Override
        public long epochMillis() {
            return 0;
        }
    }
}
