package dev.barrage.api;

import dev.barrage.runs.WorkloadDefinition;
import org.springframework.boot.jackson.JacksonMixin;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A rate or a stage target given as {@code 200} is shown back as {@code 200}, not {@code 200.0}:
 * the definition a run reports reads as the user wrote it. Fractions stay fractions.
 */
final class WholeNumbers extends ValueSerializer<Double> {

    /** Beyond 2^53 a double no longer holds every whole number exactly. */
    private static final double EXACT_LIMIT = 9_007_199_254_740_992.0;

    @Override
    public void serialize(Double value, JsonGenerator generator, SerializationContext context) {
        double number = value;
        if (number == Math.rint(number) && Math.abs(number) < EXACT_LIMIT) {
            generator.writeNumber((long) number);
        } else {
            generator.writeNumber(number);
        }
    }

    @JacksonMixin(WorkloadDefinition.class)
    interface WorkloadMixin {
        @JsonSerialize(using = WholeNumbers.class)
        Double rate();
    }

    @JacksonMixin(WorkloadDefinition.Stage.class)
    interface StageMixin {
        @JsonSerialize(using = WholeNumbers.class)
        Double target();
    }
}
