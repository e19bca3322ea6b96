package dev.barrage.runs;

import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.OpenWorkload;
import dev.barrage.engine.Workload;
import dev.barrage.engine.pacing.ConstantRate;
import dev.barrage.engine.pacing.Pacer;
import dev.barrage.engine.pacing.Stages;
import dev.barrage.engine.recording.OpenPlan;
import dev.barrage.engine.transport.HttpRequestSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Turns an accepted definition (defaults filled in) into the engine's plan. Stateless. */
final class Plans {

    private Plans() {
    }

    static HttpRequestSpec requestOf(RequestDefinition request) {
        return new HttpRequestSpec(
                request.method(),
                URI.create(request.url()),
                request.headers(),
                request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8),
                request.timeout(),
                request.keepAlive(),
                request.insecureTls());
    }

    static Workload workloadOf(WorkloadDefinition workload) {
        return switch (workload.model()) {
            case CLOSED -> new ClosedWorkload(shapeOf(workload, workload.concurrency()));
            case OPEN -> new OpenWorkload(pacerOf(workload), workload.maxConcurrency());
        };
    }

    /** What an open run was asked to do, for requested-versus-achieved figures; null for closed runs. */
    static OpenPlan openPlanOf(Workload workload) {
        return workload instanceof OpenWorkload open
                ? new OpenPlan(open.pacer()::hitsBefore, open.pacer().durationNanos())
                : null;
    }

    private static Pacer pacerOf(WorkloadDefinition workload) {
        if (workload.stages() == null && isZero(workload.rampUp())) {
            return new ConstantRate(workload.rate(), workload.duration().toNanos());
        }
        return shapeOf(workload, workload.rate());
    }

    /** Stages as given, or rampUp as one ramp stage before the steady part, or one flat stage. */
    private static Stages shapeOf(WorkloadDefinition workload, Number steady) {
        if (workload.stages() != null) {
            return Stages.of(workload.stages().stream()
                    .map(stage -> new Stages.Stage(stage.duration().toNanos(), stage.target()))
                    .toList());
        }
        if (!isZero(workload.rampUp())) {
            return Stages.of(List.of(
                    new Stages.Stage(workload.rampUp().toNanos(), steady.doubleValue()),
                    new Stages.Stage(workload.duration().toNanos(), steady.doubleValue())));
        }
        return Stages.constant(steady.doubleValue(), workload.duration().toNanos());
    }

    private static boolean isZero(Duration duration) {
        return duration == null || duration.isZero();
    }
}
