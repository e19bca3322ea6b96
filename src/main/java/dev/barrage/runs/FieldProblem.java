package dev.barrage.runs;

/** One thing wrong with a submitted definition: the JSON path of the field and what to change. */
public record FieldProblem(String field, String message) {
}
