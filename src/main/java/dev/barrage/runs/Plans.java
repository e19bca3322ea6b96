package dev.barrage.runs;

import dev.barrage.engine.ClosedWorkload;
import dev.barrage.engine.Workload;
import dev.barrage.engine.transport.HttpRequestSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
            case CLOSED -> new ClosedWorkload(workload.concurrency(), workload.duration());
            case OPEN -> throw new IllegalStateException("the open model is refused by DefinitionRules");
        };
    }
}
