package dev.barrage.runs;

import java.util.List;

/** The definition is well-formed JSON but cannot be run as given; nothing was started. */
public class InvalidDefinitionException extends RuntimeException {

    private final transient List<FieldProblem> problems;

    public InvalidDefinitionException(List<FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
