package dev.barrage.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/**
 * Rows the templates read as {@code {{data.FIELD}}}: {@code csv} (first line names the fields) or
 * {@code rows} (objects with the same fields), taken in {@code order}.
 */
public record DataDefinition(String csv, List<@NotNull Map<String, Object>> rows, DataOrder order) {

    public enum DataOrder {
        /** Iteration n takes row n mod the rows, wrapping. */
        @JsonProperty("sequence") SEQUENCE,
        /** Each iteration draws a row. */
        @JsonProperty("random") RANDOM
    }
}
