package dev.barrage.engine;

import java.time.Duration;

/** How much load a run applies and for how long. */
public sealed interface Workload permits ClosedWorkload, OpenWorkload {

    Duration duration();
}
