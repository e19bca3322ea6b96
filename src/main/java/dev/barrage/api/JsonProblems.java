package dev.barrage.api;

import dev.barrage.runs.Durations;
import dev.barrage.runs.FieldProblem;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Explains a JSON binding failure in the user's terms: which field, and what it must be. Stateless. */
final class JsonProblems {

    private JsonProblems() {
    }

    /** The field at fault, or null when the JSON itself is malformed (no field to blame). */
    static FieldProblem explain(JacksonException error) {
        String field = pathOf(error);
        return switch (error) {
            case UnrecognizedPropertyException unknown -> new FieldProblem(field,
                    "is not a known field; known fields here: " + known(unknown.getKnownPropertyIds()));
            case InvalidFormatException format -> new FieldProblem(field, mustBe(format.getTargetType(), format.getValue()));
            case MismatchedInputException mismatch when !field.isEmpty() ->
                    new FieldProblem(field, mustBe(mismatch.getTargetType(), null));
            case InputCoercionException coercion when !field.isEmpty() ->
                    new FieldProblem(field, "is far out of range: " + mustBe(coercion.getTargetType(), null) + " within the documented limits");
            default -> null;
        };
    }

    /** A well-formed JSON value that is not an object (an array, a string, a number) at the top. */
    static boolean isNotAnObject(JacksonException error) {
        return error instanceof MismatchedInputException && pathOf(error).isEmpty()
                && !String.valueOf(error.getOriginalMessage()).startsWith("Trailing token");
    }

    static String pathOf(JacksonException error) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : error.getPath()) {
            if (reference.getPropertyName() != null && reference.from() instanceof Map) {
                path.append('[').append(reference.getPropertyName()).append(']'); // a map key, as Bean Validation writes it
            } else if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String mustBe(Class<?> type, Object value) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Duration.class) {
            if (value instanceof String text) {
                try {
                    Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
            return "must be a duration string such as \"250ms\", \"5s\", \"2m\" or \"PT5S\"";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> enumName((Enum<?>) constant)).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String enumName(Enum<?> constant) {
        try {
            var property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return property != null ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "see the API documentation"
                : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
