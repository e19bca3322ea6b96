package dev.barrage.api;

import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.TestDefinition;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds before the node is ready what the API's first answers would otherwise build on first use:
 * Jackson's deserializers for a definition and serializers for a run and a timeline, and the
 * validator's metadata for a definition. The first {@code POST /tests} after start-up built them
 * while the run it had just started was running: on one core that thread used 20–110 ms of CPU in
 * the run's first second, 0–40 ms after this warm-up (docs/performance.md, "No garbage per response").
 *
 * <p>Thread-safety: keeps no state of its own; the mapper and the validator are thread-safe.
 */
@Component
public final class ApiWarmup {

    private static final List<String> DEFINITIONS = List.of(ApiExamples.OPEN_TEST, ApiExamples.CLOSED_TEST,
            ApiExamples.STAGED_TEST, ApiExamples.SHOP_TEST);

    private final JsonMapper json;
    private final Validator validator;

    ApiWarmup(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** Reads and validates the documented example definitions, and writes the documented example run and timeline. */
    public void warmUp() {
        for (String example : DEFINITIONS) {
            Set<ConstraintViolation<TestDefinition>> problems = validator.validate(json.readValue(example, TestDefinition.class));
            if (!problems.isEmpty()) {
                throw new IllegalStateException("a documented example definition is invalid: " + problems);
            }
        }
        json.writeValueAsBytes(json.readValue(ApiExamples.RUN, RunResponse.class));
        json.writeValueAsBytes(json.readValue(ApiExamples.TIMELINE, TimelinePoint[].class));
    }
}
