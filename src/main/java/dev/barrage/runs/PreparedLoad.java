package dev.barrage.runs;

import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.StepLayout;
import dev.barrage.engine.scenario.ScenarioPlan;
import dev.barrage.engine.transport.Transport;
import java.util.List;

/**
 * What a submitted test was compiled into, ready to start: the plan, one transport per target, how
 * its steps and checks are recorded and named, and each request step's success statuses. Immutable.
 */
record PreparedLoad(ScenarioPlan plan, List<Transport> transports, StepLayout layout, List<StatusRange> stepSuccess,
                    List<java.net.URI> targets) {

    PreparedLoad {
        transports = List.copyOf(transports);
        targets = List.copyOf(targets);
        stepSuccess = List.copyOf(stepSuccess);
    }

    /** Each request step's success range by its name, as the warnings judge statuses. */
    java.util.Map<String, StatusRange> successByStep() {
        java.util.Map<String, StatusRange> byName = new java.util.HashMap<>();
        for (int i = 0; i < stepSuccess.size(); i++) {
            byName.put(layout.steps().get(i), stepSuccess.get(i));
        }
        return byName;
    }
}
