package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("250ms", Duration.ofMillis(250)),
                Arguments.of("5s", Duration.ofSeconds(5)),
                Arguments.of("2m", Duration.ofMinutes(2)),
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("1.5s", Duration.ofMillis(1500)),
                Arguments.of("0.1s", Duration.ofMillis(100)),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("100us", Duration.ofNanos(100_000)),
                Arguments.of("100µs", Duration.ofNanos(100_000)),
                Arguments.of(" 5s ", Duration.ofSeconds(5)),
                Arguments.of("5 s", Duration.ofSeconds(5)),
                Arguments.of("PT5S", Duration.ofSeconds(5)),
                Arguments.of("PT0.25S", Duration.ofMillis(250)),
                Arguments.of("pt1m", Duration.ofMinutes(1)), // java.time accepts ISO-8601 letters in either case
                Arguments.of(" PT1H ", Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @MethodSource("accepted")
    void parsesTheApiNotationAndIso8601(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "   ", "5", "5 sec", "5S", "-5s", "abc", "s", ".5s", "5.s", "PT", "P", "1e3s", "5d", "5ns", "5s5"})
    void refusesAnythingElseWithAMessageShowingTheNotation(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("'" + text + "' is not a duration")
                .withMessageContaining("\"250ms\"")
                .withMessageContaining("\"PT5S\"");
    }

    @ParameterizedTest(name = "\"{0}\" is too long")
    @ValueSource(strings = {"99999999999999999h", "2562048h", "1" + "0000000000000000000000000000000000000000s"})
    void refusesDurationsBeyondWhatNanosecondsCanHold(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessageStartingWith("duration '" + text.substring(0, Math.min(text.length(), 37)))
                .withMessageEndingWith("' is too long")
                .satisfies(e -> assertThat(e.getMessage()).as("a bad value is echoed at most 40 characters long").hasSizeLessThan(70));
    }

    @ParameterizedTest(name = "{0} is written \"{1}\"")
    @CsvSource({
            "PT0.25S,    250ms",
            "PT5S,       5s",
            "PT90S,      90s",
            "PT2M,       2m",
            "PT1H,       1h",
            "PT1.5S,     1500ms",
            "PT90M,      90m",
            "PT0S,       0s",
            "PT0.0001S,  100us",
    })
    void formatsTheShortestExactFormAndParsesItBack(Duration duration, String expected) {
        String text = Durations.format(duration);

        assertThat(text).isEqualTo(expected);
        assertThat(Durations.parse(text)).isEqualTo(duration);
    }
}
