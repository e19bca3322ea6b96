package dev.barrage.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {

    private static final String SHOP = """
            { "items": [ {"id": 1, "name": "a \\"quoted\\" [tricky] {name}"}, {"id": 2, "tags": [], "name": "b"} ],
              "token": "eyJ\\u0041bc\\/def", "count": -12.5e3, "ok": true, "none": null,
              "nested": {"deep": {"er": [[0, 1], [2, [3, {"x": "found"}]]]}},
              "we\\u0069rd": "escaped key", "emoji": "\uD83D\uDE80" }""";

    private static String find(String path, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonPath.compile(path).find(bytes, bytes.length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "$.token|eyJAbc/def",
            "$.count|-12.5e3",
            "$.ok|true",
            "$.none|null",
            "$.items[0].id|1",
            "$.items[1].name|b",
            "$.items[0].name|a \"quoted\" [tricky] {name}",
            "$.items[1].tags|[]",
            "$.nested.deep.er[1][1][1].x|found",
            "$.nested.deep.er[0]|[0, 1]",
            "$.weird|escaped key",
            "token|eyJAbc/def",
            "$.emoji|\uD83D\uDE80"})
    void theValueAtThePathIsFoundAmongMembersAndElementsItSkips(String path, String expected) {
        assertThat(find(path, SHOP)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$.missing", "$.items[2]", "$.items[0].missing", "$.token.deeper", "$.ok[0]",
            "$.items.id", "$[0]", "$.nested.deep.er[5]"})
    void aPathThatLeadsNowhereFindsNothing(String path) {
        byte[] bytes = SHOP.getBytes(StandardCharsets.UTF_8);

        assertThat(JsonPath.compile(path).find(bytes, bytes.length)).isNull();
        assertThat(JsonPath.compile(path).exists(bytes, bytes.length)).isFalse();
    }

    @Test
    void existsIsTrueForAnyValueIncludingNull() {
        byte[] bytes = SHOP.getBytes(StandardCharsets.UTF_8);

        assertThat(JsonPath.compile("$.none").exists(bytes, bytes.length)).isTrue();
        assertThat(JsonPath.compile("$.items").exists(bytes, bytes.length)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "not json", "{\"token\": \"unterminated", "{\"token\" \"no colon\"}", "{\"a\": 1 \"token\": 2}",
            "[1, 2", "{\"token\": \"bad escape \\q\"}", "{\"token\": \"short \\u12\"}", "<html>token</html>"})
    void malformedBodiesFindNothingAndNeverThrow(String body) {
        assertThat(find("$.token", body)).isNull();
    }

    @Test
    void onlyTheFirstLengthBytesAreRead() {
        byte[] bytes = "{\"a\": \"12345\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(JsonPath.compile("$.a").find(bytes, 8)).isNull(); // the string is cut off
        assertThat(JsonPath.compile("$.a").find(bytes, bytes.length)).isEqualTo("12345");
    }

    @Test
    void deeplyNestedValuesOffThePathAreSkippedWithoutRecursion() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        byte[] bytes = ("{\"skip\": " + deep + ", \"token\": \"t\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(JsonPath.compile("$.token").find(bytes, bytes.length)).isEqualTo("t");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"$", "$.", "$.a..b", "$.a[", "$.a[x]", "$.a[-1]", "$a"})
    void aMalformedPathIsRefused(String path) {
        assertThatThrownBy(() -> JsonPath.compile(path)).isInstanceOf(IllegalArgumentException.class);
    }
}
