package dev.barrage.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.TestDefinition;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's warm-up builds what the first answers would build: after it, the first definition read,
 * validated, and the first run written allocate a fraction of what they do on a mapper and a
 * validator that never saw those types. Allocated bytes rather than time, so that a busy machine
 * cannot decide the outcome. The fresh ones are measured after the warm-up, so the JVM's own
 * first-use costs (classes loaded, reflection data) fall on the warm-up, not on them.
 */
class ApiWarmupTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Configured as the service's is for these types: its duration format and the open-model mix-ins. */
    private static JsonMapper mapper() {
        return JsonMapper.builder()
                .addModule(new DurationJsonModule())
                .addMixIn(Summary.class, OpenModelFieldsMixins.SummaryMixin.class)
                .addMixIn(TimelinePoint.class, OpenModelFieldsMixins.TimelinePointMixin.class)
                .build();
    }

    private static Validator validator() {
        return Validation.buildDefaultValidatorFactory().getValidator();
    }

    private static long allocatedBy(Runnable work) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void afterTheWarmupTheFirstDefinitionAndTheFirstRunAnswerBuildNothing() {
        RunResponse run = mapper().readValue(ApiExamples.RUN, RunResponse.class);
        JsonMapper warmedMapper = mapper();
        Validator warmedValidator = validator();
        new ApiWarmup(warmedMapper, warmedValidator).warmUp();
        JsonMapper freshMapper = mapper();
        Validator freshValidator = validator();

        long freshRead = allocatedBy(() -> freshMapper.readValue(ApiExamples.OPEN_TEST, TestDefinition.class));
        long warmedRead = allocatedBy(() -> warmedMapper.readValue(ApiExamples.OPEN_TEST, TestDefinition.class));
        TestDefinition definition = warmedMapper.readValue(ApiExamples.OPEN_TEST, TestDefinition.class);
        long freshValidation = allocatedBy(() -> freshValidator.validate(definition));
        long warmedValidation = allocatedBy(() -> warmedValidator.validate(definition));
        long freshWrite = allocatedBy(() -> freshMapper.writeValueAsBytes(run));
        long warmedWrite = allocatedBy(() -> warmedMapper.writeValueAsBytes(run));

        // measured: 2.9 KB against 532 KB, 22 KB against 2.5 MB, 6.9 KB against 607 KB
        assertThat(warmedRead).as("bytes the first definition read allocates").isLessThan(freshRead / 4);
        assertThat(warmedValidation).as("bytes its first validation allocates").isLessThan(freshValidation / 4);
        assertThat(warmedWrite).as("bytes the first run answer allocates").isLessThan(freshWrite / 4);
    }
}
