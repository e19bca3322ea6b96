package dev.barrage.runs;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A load test as a user submits it (API.md, POST /tests). After {@link #withDefaults()} every optional
 * field is filled in, and that form is what the run reports as its {@code definition}.
 */
public record TestDefinition(
        @Size(max = 200) String name,
        @NotNull @Valid RequestDefinition request,
        @NotNull @Valid WorkloadDefinition workload,
        @Size(min = 2, max = 2, message = "must be an inclusive range [from, to] such as [200, 399]")
        List<@NotNull @Min(100) @Max(599) Integer> expectedStatus,
        @Size(max = 50) List<@NotBlank @Size(max = 200) String> thresholds,
        Priority priority) {

    static final List<Integer> DEFAULT_EXPECTED_STATUS = List.of(200, 399);

    /** About what this definition occupies in memory: its text twice over (UTF-16), plus fixed overhead. */
    long estimatedBytes() {
        long chars = length(name);
        if (request != null) {
            chars += length(request.url()) + length(request.body()) + length(request.method());
            if (request.headers() != null) {
                for (var header : request.headers().entrySet()) {
                    chars += length(header.getKey()) + length(header.getValue()) + 32;
                }
            }
        }
        if (thresholds != null) {
            for (String threshold : thresholds) {
                chars += length(threshold) + 32;
            }
        }
        if (workload != null && workload.stages() != null) {
            chars += 64L * workload.stages().size();
        }
        return 2 * chars + 2048;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    public TestDefinition withDefaults() {
        return withDefaults(RunLimits.DEFAULTS);
    }

    /** The definition with every optional field filled in, within this server's limits. */
    public TestDefinition withDefaults(RunLimits limits) {
        RequestDefinition filledRequest = request.withDefaults();
        return new TestDefinition(
                name == null || name.isBlank() ? filledRequest.method() + " " + filledRequest.url() : name,
                filledRequest,
                workload.withDefaults(limits),
                expectedStatus == null ? DEFAULT_EXPECTED_STATUS : List.copyOf(expectedStatus),
                thresholds == null ? List.of() : List.copyOf(thresholds),
                priority == null ? Priority.NORMAL : priority);
    }
}
