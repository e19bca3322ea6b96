package dev.barrage.runs;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Takes a value from a step's response for later steps: exactly one of jsonPath, header or regex, and {@code as}. */
public record CaptureDefinition(
        @Size(max = 500) String jsonPath,
        @Size(max = 200) String header,
        @Size(max = 1000) String regex,
        @NotBlank @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}",
                message = "must be a name of letters, digits and _ (not starting with a digit), used as {{name}}")
        String as) {
}
