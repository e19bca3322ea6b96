package dev.barrage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.recording.TimelinePoint;
import org.springframework.boot.jackson.JacksonMixin;

/**
 * The engine's snapshot records carry open-model fields (serviceTimeMs, targetRate, delayed,
 * schedulerLagMs) that are null for closed runs; leave them out of the JSON rather than show nulls.
 * Mix-ins keep the Spring-free engine free of Jackson annotations too.
 */
final class OpenModelFieldsMixins {

    private OpenModelFieldsMixins() {
    }

    @JacksonMixin(Summary.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    interface SummaryMixin {
    }

    @JacksonMixin(TimelinePoint.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    interface TimelinePointMixin {
    }
}
