package dev.barrage.runs;

import dev.barrage.engine.recording.CheckCounts;
import dev.barrage.engine.recording.Iterations;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.Summary;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The warnings only tests with scenarios can earn: failed checks, iterations cut short, bodies too large. Stateless. */
final class ScenarioWarnings {

    private static final int TOP = 3;

    private ScenarioWarnings() {
    }

    static void add(Summary summary, Run run, RunRecorder recorder, List<String> warnings) {
        if (!run.definition().usesScenarios() || summary.iterations() == null || summary.checks() == null) {
            return;
        }
        long failedChecks = summary.checks().failed();
        if (failedChecks > 0) {
            long total = failedChecks + summary.checks().passed();
            List<String> worst = summary.checks().byCheck().entrySet().stream()
                    .filter(check -> check.getValue().failed() > 0)
                    .sorted(Comparator.comparing((Map.Entry<String, CheckCounts> check) -> check.getValue().failed()).reversed())
                    .limit(TOP)
                    .map(check -> "'" + check.getKey() + "' × " + check.getValue().failed())
                    .toList();
            warnings.add(format("%d of %d checks (%.2f%%) failed: %s. Checks are counted apart from request failures"
                            + " (a 200 with the wrong body passes as a request and fails its check).",
                    failedChecks, total, 100.0 * failedChecks / total, String.join(", ", worst)));
        }
        Iterations iterations = summary.iterations();
        if (iterations.aborted() > 0) {
            warnings.add(format("%d of %d iterations were aborted because a capture found nothing (see the failed"
                            + " 'capture' checks): their later steps were not sent, since they would have carried no value.",
                    iterations.aborted(), iterations.started()));
        }
        if (iterations.interrupted() > 0) {
            warnings.add(format("%d of %d iterations were cut short by the end of the duration (or by cancellation):"
                            + " no request starts after it, so their later steps were not sent. Started = completed + aborted"
                            + " + interrupted: %d = %d + %d + %d.",
                    iterations.interrupted(), iterations.started(), iterations.started(), iterations.completed(),
                    iterations.aborted(), iterations.interrupted()));
        }
        long tooLarge = recorder.bodiesTooLarge();
        if (tooLarge > 0) {
            warnings.add(format("%d responses read by checks or captures were larger than the body limit, so only their"
                    + " start was kept and every check and capture reading their body failed (setting"
                    + " barrage.limits.max-response-body-size).", tooLarge));
        }
    }

    private static String format(String template, Object... values) {
        return String.format(Locale.ROOT, template, values);
    }
}
