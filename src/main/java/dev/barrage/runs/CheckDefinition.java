package dev.barrage.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;

/**
 * One check on a step's response, exactly one kind: {@code status} [from, to], {@code bodyContains},
 * {@code jsonPath} with {@code equals} or {@code exists}, {@code header} with {@code equals} or
 * {@code contains}, or {@code maxDuration}.
 *
 * @param equalTo written {@code equals}: a JSON string, number, boolean or null for jsonPath, a string for header
 */
public record CheckDefinition(
        @Size(min = 2, max = 2, message = "must be an inclusive range [from, to] such as [200, 299]")
        List<@NotNull @Min(100) @Max(599) Integer> status,
        @Size(min = 1, max = 1000) String bodyContains,
        @Size(max = 500) String jsonPath,
        @JsonProperty("equals") Object equalTo,
        Boolean exists,
        @Size(max = 200) String header,
        @Size(max = 1000) String contains,
        @DurationBetween(min = "1ms", max = "5m") Duration maxDuration) {
}
