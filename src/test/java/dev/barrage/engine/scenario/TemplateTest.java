package dev.barrage.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {

    private static final Template.Names NAMES = new Template.Names(
            Map.of("base", "http://127.0.0.1:8081"), List.of("email", "password"), List.of("token", "orderId"));

    /** One virtual user's values: a data row, captures made so far, a seeded random. */
    private static final class User implements Template.Values {
        final String[] row = {"a@example.test", "pä\uD83D\uDE80ss"};
        final String[] captures = new String[2];
        final SplittableRandom random = new SplittableRandom(42);

        @Override
        public String data(int field) {
            return row[field];
        }

        @Override
        public String capture(int index) {
            return captures[index];
        }

        @Override
        public int vu() {
            return 7;
        }

        @Override
        public long iteration() {
            return 123_456_789_012L;
        }

        @Override
        public SplittableRandom random() {
            return random;
        }

        @Override
        public long epochMillis() {
            return 1_764_633_600_000L;
        }
    }

    private static String expand(String text, User user) {
        ByteBuilder out = new ByteBuilder(4);
        Template.compile(text, NAMES).expandInto(user, out);
        return new String(out.toArray(), StandardCharsets.UTF_8);
    }

    @Test
    void variablesAreReplacedAtCompileTimeAndAPlainTextStaysLiteral() {
        Template url = Template.compile("{{base}}/items?page=1", NAMES);

        assertThat(url.isLiteral()).isTrue();
        assertThat(url.literalText()).isEqualTo("http://127.0.0.1:8081/items?page=1");
        assertThat(Template.compile("no placeholders, {single} braces", NAMES).literalText())
                .isEqualTo("no placeholders, {single} braces");
    }

    @Test
    void dataFieldsCapturesAndTheUsersNumbersAreFilledInAsUtf8() {
        User user = new User();
        user.captures[0] = "tok-1";

        String body = expand("{\"email\":\"{{data.email}}\",\"password\":\"{{ data.password }}\",\"t\":\"{{token}}\","
                + "\"vu\":{{$vu}},\"i\":{{$iteration}},\"at\":{{$timestamp}}}", user);

        assertThat(body).isEqualTo("{\"email\":\"a@example.test\",\"password\":\"pä\uD83D\uDE80ss\",\"t\":\"tok-1\","
                + "\"vu\":7,\"i\":123456789012,\"at\":1764633600000}");
    }

    @Test
    void randomFunctionsFollowTheirContract() {
        User user = new User();
        for (int i = 0; i < 1000; i++) {
            String uuid = expand("{{$uuid}}", user);
            UUID parsed = UUID.fromString(uuid);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(uuid).hasSize(36).isEqualTo(parsed.toString());
            assertThat(Integer.parseInt(expand("{{$randomInt(-3, 5)}}", user))).isBetween(-3, 5);
            assertThat(expand("{{$randomString(12)}}", user)).matches("[A-Za-z0-9]{12}");
        }
    }

    @Test
    void aCaptureNotMadeInThisIterationStopsTheExpansion() {
        assertThatThrownBy(() -> expand("/orders/{{orderId}}", new User()))
                .isInstanceOf(Template.MissingCaptureException.class)
                .satisfies(e -> assertThat(((Template.MissingCaptureException) e).capture()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{{nope}}|{{nope}} is not a variable, a data field, a capture",
            "{{data.phone}}|the data has no field 'phone'",
            "{{$now}}|{{$now}} is not a function",
            "{{$randomInt(5,1)}}|a <= b",
            "{{$randomInt(1)}}|a <= b",
            "{{$randomInt(a,b)}}|'a' is not a whole number",
            "{{$randomString(0)}}|n from 1 to 1024",
            "/x/{{token|is never closed"})
    void anUnknownOrMalformedPlaceholderIsRefusedNamingIt(String text, String message) {
        assertThatThrownBy(() -> Template.compile(text, NAMES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void expandingAgainIntoTheSameBuilderAllocatesNoNewArrayOnceItFits() {
        User user = new User();
        user.captures[0] = "tok";
        Template template = Template.compile("{{base}}/orders?u={{$vu}}&t={{token}}&r={{$randomInt(1,50)}}", NAMES);
        ByteBuilder out = new ByteBuilder(4);
        template.expandInto(user, out);
        byte[] grown = out.array();

        for (int i = 0; i < 100; i++) {
            out.reset();
            template.expandInto(user, out);
        }

        assertThat(out.array()).isSameAs(grown);
    }

    @Test
    void decimalsCoverTheWholeRangeOfALong() {
        ByteBuilder out = new ByteBuilder(1);
        for (long value : new long[] {0, -1, 9, 10, Long.MAX_VALUE, Long.MIN_VALUE}) {
            out.reset();
            out.appendDecimal(value);
            assertThat(new String(out.toArray(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
        }
    }
}
