package dev.barrage.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The counts check passes only when status codes plus error kinds are exactly the requests. */
class SummariesTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void countsThatAddUpPass() {
        Summaries.assertCountsAddUp(summary("""
                {"requests": 10, "successes": 7, "failures": 3, "statusCodes": {"200": 7, "503": 1},
                 "errors": {"TIMEOUT": 2}}"""));
        Summaries.assertCountsAddUp(summary("""
                {"requests": 0, "successes": 0, "failures": 0, "statusCodes": {}, "errors": {}}"""));
    }

    @Test
    void aRequestFiledNowhereOrTwiceFails() {
        // successes + failures == requests holds in both: that check could not see these
        assertThatThrownBy(() -> Summaries.assertCountsAddUp(summary("""
                {"requests": 10, "successes": 7, "failures": 3, "statusCodes": {"200": 7}, "errors": {"TIMEOUT": 2}}""")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("= 9, not requests (10)");
        assertThat(Summaries.countsProblem(summary("""
                {"requests": 10, "successes": 7, "failures": 3, "statusCodes": {"200": 8}, "errors": {"TIMEOUT": 3}}""")))
                .contains("= 11, not requests (10)");
    }

    @Test
    void aSummaryWithoutItsCountsFails() {
        assertThat(Summaries.countsProblem(summary("{\"requests\": 0, \"statusCodes\": {}}"))).contains("needs");
        assertThat(Summaries.countsProblem(summary("{\"statusCodes\": {}, \"errors\": {}}"))).contains("needs");
        assertThat(Summaries.countsProblem(null)).contains("needs");
    }

    private JsonNode summary(String text) {
        return json.readTree(text);
    }
}
