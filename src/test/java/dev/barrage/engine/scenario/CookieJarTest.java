package dev.barrage.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CookieJarTest {

    private static final String LONG_AGO = "Thu, 01 Jan 1970 00:00:00 GMT";

    private final CookieJar jar = new CookieJar(2);

    @Test
    void aTargetThatSetNoCookieGetsNoCookieLine() {
        assertThat(jar.headerFor(0)).isNull();
    }

    @Test
    void cookiesGoBackInTheOrderTheyWereSetWithoutTheirAttributes() {
        jar.accept(0, "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax");
        jar.accept(0, " theme = dark ;Max-Age=3600");

        assertThat(line(0)).isEqualTo("Cookie: sid=abc; theme=dark\r\n");
    }

    @Test
    void aLaterCookieOfTheSameNameReplacesTheValueInItsPlace() {
        jar.accept(0, "sid=1");
        jar.accept(0, "theme=dark");
        jar.accept(0, "sid=2; Path=/");

        assertThat(line(0)).isEqualTo("Cookie: sid=2; theme=dark\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Max-Age=0", "max-age=0", "Max-Age=-1", "Expires=" + LONG_AGO, "expires=" + LONG_AGO})
    void aCookieSetToExpireNowOrInThePastIsDeleted(String attribute) {
        jar.accept(0, "sid=abc");
        jar.accept(0, "theme=dark");

        jar.accept(0, "sid=; Path=/; " + attribute);

        assertThat(line(0)).isEqualTo("Cookie: theme=dark\r\n");
    }

    @Test
    void deletingTheLastCookieLeavesNoCookieLine() {
        jar.accept(0, "sid=abc");

        jar.accept(0, "sid=deleted; Max-Age=0");

        assertThat(jar.headerFor(0)).isNull();
    }

    @Test
    void aCookieThatExpiresInTheFutureIsKept() {
        String nextYear = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(1));

        jar.accept(0, "sid=abc; Expires=" + nextYear);

        assertThat(line(0)).isEqualTo("Cookie: sid=abc\r\n");
    }

    @Test
    void maxAgeWinsOverExpires() {
        jar.accept(0, "kept=1; Expires=" + LONG_AGO + "; Max-Age=3600");
        jar.accept(0, "gone=1; Max-Age=0; Expires=" + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));

        assertThat(line(0)).isEqualTo("Cookie: kept=1\r\n");
    }

    /**
     * The dashed date ({@code Thu, 01-Jan-1970 00:00:00 GMT}) is how many servers still write the
     * deleting cookie; browsers, k6 (Go's net/http) and Gatling accept it.
     */
    @Test
    void aPastExpiresInTheCommonDashedDateFormDeletesToo() {
        jar.accept(0, "sid=abc");

        jar.accept(0, "sid=deleted; Expires=Thu, 01-Jan-1970 00:00:01 GMT; Path=/");

        assertThat(jar.headerFor(0)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sid=a\r\nX-Injected: 1", "sid=a\nb", "sid=a\u0000b", "sid=a\u0001b", "sid=a\tb",
            "sid=a\u007Fb", "s\u0001id=a", "=a", "novalue", ""})
    void unsafeOrMalformedCookiesAreIgnored(String setCookie) {
        jar.accept(0, "theme=dark");

        jar.accept(0, setCookie);

        assertThat(line(0)).isEqualTo("Cookie: theme=dark\r\n");
    }

    @Test
    void aCookieLongerThanTheLimitIsIgnored() {
        jar.accept(0, "big=" + "x".repeat(CookieJar.MAX_COOKIE_CHARS));

        assertThat(jar.headerFor(0)).isNull();
    }

    @Test
    void eachTargetGetsOnlyItsOwnCookies() {
        jar.accept(0, "sid=for-zero");
        jar.accept(1, "sid=for-one");

        assertThat(line(0)).isEqualTo("Cookie: sid=for-zero\r\n");
        assertThat(line(1)).isEqualTo("Cookie: sid=for-one\r\n");
    }

    @Test
    void clearingForgetsEveryCookieOfEveryTarget() {
        jar.accept(0, "sid=a");
        jar.accept(1, "sid=b");
        jar.headerFor(0); // a line already built must not outlive the clear

        jar.clear();

        assertThat(jar.headerFor(0)).isNull();
        assertThat(jar.headerFor(1)).isNull();
        jar.accept(0, "new=1");
        assertThat(line(0)).isEqualTo("Cookie: new=1\r\n");
    }

    @Test
    void aTargetKeepsAtMostFiftyCookiesButMayStillReplaceThem() {
        for (int i = 0; i < CookieJar.MAX_COOKIES_PER_TARGET + 5; i++) {
            jar.accept(0, "c" + i + "=v");
        }
        jar.accept(0, "c0=replaced");

        String line = line(0);
        assertThat(line.split("; ")).hasSize(CookieJar.MAX_COOKIES_PER_TARGET);
        assertThat(line).startsWith("Cookie: c0=replaced; c1=v").doesNotContain("c50=");
    }

    private String line(int target) {
        byte[] header = jar.headerFor(target);
        assertThat(header).as("a Cookie line for target %s", target).isNotNull();
        return new String(header, StandardCharsets.UTF_8);
    }
}
