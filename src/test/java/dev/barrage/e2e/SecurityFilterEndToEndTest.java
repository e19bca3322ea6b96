package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.LiveBarrage;
import dev.barrage.support.RawHttp;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security filter behind a real Tomcat, with requests written byte for byte: every spelling of
 * a protected path that Tomcat hands on (decoded, normalized, in another case) needs the key; a
 * path that reads two ways is refused with 400, key or no key; a wrong key is ignored where none
 * is needed; and the answers carry the security headers Spring Security used to write.
 *
 * <p>Two nested classes for two application contexts: the first has ApiKeyEndToEndTest's
 * properties (so it shares that context); the second serves under a context path, with the
 * actuator on a port of its own.
 */
class SecurityFilterEndToEndTest {

    static final String KEY = "s3cret-key";
    private static final String RIGHT_KEY = "Authorization: Bearer " + KEY;
    private static final String WRONG_KEY = "Authorization: Bearer not-the-key";
    private static final String OTHER_SCHEME = "Authorization: Basic " + KEY;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"barrage.security.api-key=" + KEY, "barrage.security.protect-metrics=true"})
    class AtTheRoot {

        @RegisterExtension
        final LiveBarrage live = new LiveBarrage(KEY);

        @ParameterizedTest(name = "{0}")
        @CsvSource({"/tests, 200", "/tests/, 404", "/tests/abc, 404", "/tests/abc/junit, 404", "/%74ests, 200",
                "/tes%74s/abc, 404", "/TESTS, 404", "/Tests/abc, 404", "/actuator/prometheus, 200",
                "/actuator/%70rometheus, 200", "/actuator/Prometheus, 404", "/actuator/prometheus/, 404"})
        void everySpellingOfAProtectedPathNeedsTheKey(String path, int statusWithTheKey) throws Exception {
            for (String authorization : List.of(WRONG_KEY, OTHER_SCHEME)) {
                assertUnauthorized(RawHttp.send(live.port(), "GET", path, authorization), path);
            }
            assertUnauthorized(RawHttp.send(live.port(), "GET", path), path);

            assertThat(RawHttp.send(live.port(), "GET", path, RIGHT_KEY).status()).as("GET %s with the key", path)
                    .isEqualTo(statusWithTheKey);
        }

        /** Refused by the filter (most) or by Tomcat before it (an encoded / or \): never answered. */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"//tests", "/tests;x=1", "/tests;", "/tests/abc;jsessionid=1", "/./tests",
                "/foo/../tests", "/tests/.", "/tests/..", "/tests/../actuator/health", "/actuator/health/../../tests",
                "/%2e/tests", "/tests%3B", "/tests%25", "/tests%252F", "/tests%0A", "/tests%E2%80%A8", "/tests%2F",
                "/tests%5Cabc", "/actuator//prometheus", "/actuator/health/../prometheus", "/actuator/prometheus;a"})
        void aPathThatReadsTwoWaysIsRefusedKeyOrNoKey(String path) throws Exception {
            for (String[] authorization : List.of(new String[0], new String[] {WRONG_KEY}, new String[] {RIGHT_KEY})) {
                RawHttp.Answer answer = RawHttp.send(live.port(), "GET", path, authorization);

                assertThat(answer.status()).as("GET %s %s: %s", path, List.of(authorization), answer).isEqualTo(400);
                assertThat(JSON.readTree(answer.body()).get("type").asString()).endsWith("/bad-request");
            }
        }

        @Test
        void anUnknownMethodIsRefusedAndEveryOtherOneNeedsTheKey() throws Exception {
            for (String method : List.of("FOO", "get")) {
                assertThat(RawHttp.send(live.port(), method, "/tests", RIGHT_KEY).status()).as(method).isEqualTo(400);
            }
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                assertThat(RawHttp.send(live.port(), method, "/tests", "Content-Length: 0").status()).as(method).isEqualTo(401);
            }
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"/actuator/health, 200", "/actuator/info, 200", "/, 200", "/runs/abc, 200", "/ui/app.css, 200",
                "/v3/api-docs, 200", "/testsx, 404", "/tests%20, 404", "/error, 404", "/nope, 404"})
        void elsewhereTheAuthorizationHeaderIsIgnored(String path, int status) throws Exception {
            for (String authorization : List.of(WRONG_KEY, OTHER_SCHEME, RIGHT_KEY)) {
                assertThat(RawHttp.send(live.port(), "GET", path, authorization).status())
                        .as("GET %s with %s", path, authorization).isEqualTo(status);
            }
            assertThat(RawHttp.send(live.port(), "GET", path).status()).as("GET %s", path).isEqualTo(status);
        }

        @Test
        void theSchemeIsReadInAnyCaseAndTheKeyStripped() throws Exception {
            for (String authorization : List.of("Authorization: bearer " + KEY, "Authorization: BEARER   " + KEY + "  ")) {
                assertThat(RawHttp.send(live.port(), "GET", "/tests", authorization).status()).as(authorization).isEqualTo(200);
            }
            RawHttp.Answer missing = RawHttp.send(live.port(), "GET", "/tests", "Authorization: Bearer");
            assertThat(JSON.readTree(missing.body()).get("detail").asString()).startsWith("Send the API key");
            RawHttp.Answer wrong = RawHttp.send(live.port(), "GET", "/tests", "Authorization: Bearer " + KEY + "x");
            assertThat(JSON.readTree(wrong.body()).get("detail").asString()).contains("wrong");
        }

        @Test
        void answersCarryTheSecurityHeadersAndTheNoStoreDefaultsUnlessTheyCacheThemselves() throws Exception {
            RawHttp.Answer refused = RawHttp.send(live.port(), "GET", "/tests");
            RawHttp.Answer list = RawHttp.send(live.port(), "GET", "/tests", RIGHT_KEY);
            RawHttp.Answer redirect = RawHttp.send(live.port(), "GET", "/swagger-ui.html");
            RawHttp.Answer page = RawHttp.send(live.port(), "GET", "/");
            RawHttp.Answer notModified = RawHttp.send(live.port(), "GET", "/ui/app.css",
                    "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT");

            assertThat(List.of(refused.status(), list.status(), redirect.status(), page.status(), notModified.status()))
                    .containsExactly(401, 200, 302, 200, 304);
            for (RawHttp.Answer answer : List.of(refused, list, redirect, page, notModified)) {
                assertThat(answer.header("X-Content-Type-Options")).as("%s", answer).isEqualTo("nosniff");
                assertThat(answer.header("X-Frame-Options")).as("%s", answer).isEqualTo("DENY");
                assertThat(answer.header("X-XSS-Protection")).as("%s", answer).isEqualTo("0");
                assertThat(answer.header("Strict-Transport-Security")).as("not over plain HTTP").isNull();
            }
            for (RawHttp.Answer answer : List.of(refused, list, redirect)) {
                assertThat(answer.header("Cache-Control")).as("%s", answer).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
                assertThat(answer.header("Pragma")).as("%s", answer).isEqualTo("no-cache");
                assertThat(answer.header("Expires")).as("%s", answer).isEqualTo("0");
            }
            assertThat(page.header("Cache-Control")).as("the page's own").isEqualTo("no-cache");
            assertThat(notModified.header("Cache-Control")).isNull();
            for (RawHttp.Answer answer : List.of(page, notModified)) {
                assertThat(answer.header("Pragma")).as("%s", answer).isNull();
                assertThat(answer.header("Expires")).as("%s", answer).isNull();
            }
        }
    }

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"barrage.security.api-key=" + KEY, "barrage.security.protect-metrics=true",
                    "server.servlet.context-path=/barrage", "management.server.port=0"})
    class UnderAContextPathWithTheActuatorOnItsOwnPort {

        @LocalServerPort
        int port;

        @LocalManagementPort
        int managementPort;

        @Test
        void pathsAreMatchedWithinTheApplication() throws Exception {
            for (String path : List.of("/barrage/tests", "/barrage/%74ests", "/%62arrage/tests", "/barrage/TESTS/abc")) {
                assertUnauthorized(RawHttp.send(port, "GET", path), path);
            }
            assertThat(RawHttp.send(port, "GET", "/barrage/tests", RIGHT_KEY).status()).isEqualTo(200);
            for (String path : List.of("//barrage/tests", "/barrage//tests", "/barrage;x/tests", "/barrage/./tests",
                    "/barrage/x/../tests")) {
                assertThat(RawHttp.send(port, "GET", path, RIGHT_KEY).status()).as("GET %s", path).isEqualTo(400);
            }
            assertThat(RawHttp.send(port, "GET", "/barrage/actuator/health", WRONG_KEY).status()).isEqualTo(404);
        }

        @Test
        void theActuatorsOwnPortIsGuardedToo() throws Exception {
            assertUnauthorized(RawHttp.send(managementPort, "GET", "/actuator/prometheus"), "/actuator/prometheus");
            assertUnauthorized(RawHttp.send(managementPort, "GET", "/actuator/%70rometheus", WRONG_KEY), "/actuator/%70rometheus");
            assertThat(RawHttp.send(managementPort, "GET", "/actuator//prometheus").status()).isEqualTo(400);
            assertThat(RawHttp.send(managementPort, "GET", "/actuator/prometheus", RIGHT_KEY).status()).isEqualTo(200);
            RawHttp.Answer health = RawHttp.send(managementPort, "GET", "/actuator/health", WRONG_KEY);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("X-Frame-Options")).isEqualTo("DENY");
        }
    }

    private static void assertUnauthorized(RawHttp.Answer answer, String path) {
        assertThat(answer.status()).as("GET %s: %s", path, answer).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"barrage\"");
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://barrage.dev/problems/unauthorized");
        assertThat(problem.get("title").asString()).isEqualTo("API key required");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("instance").asString()).isEqualTo(path);
    }
}
