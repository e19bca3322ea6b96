package dev.barrage.runs;

import dev.barrage.engine.RunEnd;
import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.recording.RunSnapshot;
import dev.barrage.engine.recording.StatusRange;
import dev.barrage.engine.recording.Summary;
import dev.barrage.engine.recording.TimelinePoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sentences a user must read before trusting a finished run's numbers: each says what
 * happened, with its numbers, and why. Stateless.
 */
final class Warnings {

    /** More than this share of failed requests is worth a warning. */
    private static final double FAILURE_SHARE = 0.10;
    /**
     * A request sent this much after it was due means the generator itself fell behind (nothing held
     * it back), or connection set-up held it back long enough to matter.
     */
    private static final double LAG_WARNING_MS = 10;
    /** The share of the machine's CPU time stolen by its hypervisor above which a run's timing is in doubt. */
    private static final double STEAL_WORTH_SAYING = 0.05;
    /** Waiting longer than this after the duration for requests in flight is worth explaining. */
    private static final Duration TAIL_WORTH_SAYING = Duration.ofMillis(100);
    private static final int TOP = 3;
    /** Failures before any byte of the request went out: the target was not reachable at all. */
    private static final Set<String> CONNECT_ERRORS = Set.of("CONNECTION_REFUSED", "CONNECT_TIMEOUT", "UNKNOWN_HOST");

    private Warnings() {
    }

    /**
     * @param successByStep each request step's success range, by step name, as the run recorded with
     * @param stealShare    the share of this machine's CPU time its hypervisor gave to other machines
     *                      during the run ({@link HostCpu}), 0..1; null when unknown
     */
    static List<String> of(Run run, RunEnd end, RunSnapshot last, RunRecorder recorder,
                           Map<String, StatusRange> successByStep, Double stealShare) {
        List<String> warnings = new ArrayList<>();
        Summary summary = last.summary();
        if (end.outcome() == RunEnd.Outcome.CANCELLED) {
            warnings.add(format("The run was cancelled after %.3f s of the planned %s: the results cover only that part.",
                    end.elapsedNanos() / 1e9, Durations.format(plannedDuration(run))));
            long aborted = recorder.aborted();
            if (aborted > 0) {
                warnings.add(aborted + (aborted == 1 ? " request was" : " requests were")
                        + " in flight at cancellation and abandoned; they are not counted in requests.");
            }
        }
        if (end.outcome() == RunEnd.Outcome.FAILED) {
            warnings.add("The load generator itself failed, so the run stopped early: the results cover only what was done before.");
        }
        if (summary.requests() == 0 && end.outcome() != RunEnd.Outcome.CANCELLED) {
            warnings.add(run.definition().thresholds().isEmpty()
                    ? "No request completed, so there is nothing to report."
                    : "No request completed, so there is nothing to judge: every threshold fails.");
        }
        failures(summary, run, successByStep, warnings);
        ScenarioWarnings.add(summary, run, recorder, warnings);
        if (summary.targetRate() != null && end.outcome() == RunEnd.Outcome.COMPLETED) {
            openModel(summary, last.timeline(), run, recorder.maxConnectDelayNanos() / 1e6, warnings);
        }
        if (end.outcome() == RunEnd.Outcome.COMPLETED) {
            tail(summary, run, recorder, warnings);
        }
        if (summary.requests() > 0) {
            steal("During the run the hypervisor gave", "this machine's", stealShare).ifPresent(warnings::add);
        }
        return warnings;
    }

    /**
     * The warning for a generator whose machine lost {@code stealShare} of its CPU time to other
     * machines, when that is enough to matter.
     *
     * @param whoGave how the sentence starts, up to "gave"
     * @param whose   whose CPU time: "this machine's", "its machine's"
     */
    static Optional<String> steal(String whoGave, String whose, Double stealShare) {
        if (stealShare == null || stealShare < STEAL_WORTH_SAYING) {
            return Optional.empty();
        }
        return Optional.of(format("%s %.1f%% of %s CPU time to other machines (steal time, /proc/stat): the generator"
                + " could not run whenever it needed to, so its timing (latency measured from when requests were due,"
                + " schedulerLagMs) can include waits that were not the target's. Use a machine without CPU steal (a"
                + " dedicated host or instance type) when the figures must be the target's alone.", whoGave,
                100 * stealShare, whose));
    }

    private static void failures(Summary summary, Run run, Map<String, StatusRange> successByStep, List<String> warnings) {
        if (summary.requests() == 0 || summary.failures() <= FAILURE_SHARE * summary.requests()) {
            return;
        }
        List<Integer> expected = run.definition().expectedStatus();
        Map<String, Long> unexpectedStatus = unexpectedStatuses(summary, successByStep);
        List<String> causes = new ArrayList<>();
        top(unexpectedStatus).forEach(code -> causes.add("status " + code.getKey() + " × " + code.getValue()));
        top(summary.errors()).forEach(kind -> causes.add(kind.getKey() + " × " + kind.getValue()));
        StringBuilder text = new StringBuilder(format("%d of %d requests (%.1f%%) failed: %s.", summary.failures(),
                summary.requests(), 100.0 * summary.failures() / summary.requests(), String.join(", ", causes)));
        boolean allFailed = summary.failures() == summary.requests();
        if (allFailed && CONNECT_ERRORS.containsAll(summary.errors().keySet()) && unexpectedStatus.isEmpty()) {
            text.append(" Every request failed before it could be sent: is the target up and listening at ")
                    .append(hostAndPort(run)).append('?');
        } else if (allFailed && summary.errors().keySet().equals(Set.of("TARGET_NOT_ALLOWED"))) {
            text.append(" The target's address is not allowed by barrage.targets.allow, so nothing was sent.");
        } else if (!unexpectedStatus.isEmpty()) {
            text.append(format(" Statuses outside expectedStatus [%d, %d]%s count as failures.", expected.get(0), expected.get(1),
                    run.definition().scenarios() == null ? "" : " (or a step's own status check)"));
        }
        warnings.add(text.toString());
    }

    /**
     * The statuses that counted as failures, judged as the recorder judged them: by each step's own
     * success range (its status check, or expectedStatus), as compiled at submission.
     */
    private static Map<String, Long> unexpectedStatuses(Summary summary, Map<String, StatusRange> successByStep) {
        Map<String, Long> unexpected = new java.util.TreeMap<>();
        summary.steps().forEach((name, step) -> step.statusCodes().forEach((code, count) -> {
            if (!successByStep.get(name).contains(Integer.parseInt(code))) {
                unexpected.merge(code, count, Long::sum);
            }
        }));
        return unexpected;
    }

    private static void openModel(Summary summary, List<TimelinePoint> timeline, Run run, double worstConnectDelayMs,
                                  List<String> warnings) {
        boolean scenarios = run.definition().usesScenarios();
        long started = scenarios ? summary.iterations().started() : summary.requests();
        String unit = scenarios ? "iterations" : "requests";
        long planned = started + summary.dropped();
        int maxConcurrency = run.definition().workload().maxConcurrency();
        if (summary.delayed() > 0) {
            warnings.add(format("%d of %d %s (%.2f%%) started late because maxConcurrency (%d) %s were already"
                            + " in flight: the target could not keep up with the rate; their latency includes the wait.",
                    summary.delayed(), started, unit, percent(summary.delayed(), started), maxConcurrency, unit));
        }
        if (summary.connectDelayed() > 0 && (worstConnectDelayMs > LAG_WARNING_MS || summary.dropped() > 0)) {
            warnings.add(format("%d of %d %s (%.2f%%) started late, by up to %.1f ms, because they waited for a new"
                            + " connection to the target to be set up (Barrage opens at most 8 at once): the target is"
                            + " slow to accept connections or closes them, or more requests came due at once than"
                            + " connections were open (after a pause of the generator, see schedulerLagMs); their"
                            + " latency includes the wait.",
                    summary.connectDelayed(), started, unit, percent(summary.connectDelayed(), started),
                    worstConnectDelayMs));
        }
        double worstLag = timeline.stream().mapToDouble(point -> point.schedulerLagMs() == null ? 0 : point.schedulerLagMs())
                .max().orElse(0);
        if (summary.dropped() > 0) {
            double plannedSeconds = plannedDuration(run).toNanos() / 1e9;
            warnings.add(format("%d of the %d planned %s (%.2f%%) were due before the end of the duration but could"
                            + " not start by then, so they were not sent (dropped): %s. %d %s started, %.1f/s"
                            + " against a target of %.1f/s.",
                    summary.dropped(), planned, unit, percent(summary.dropped(), planned),
                    dropCause(summary, maxConcurrency, worstLag > LAG_WARNING_MS),
                    started, unit, started / plannedSeconds, summary.targetRate()));
        }
        if (worstLag > LAG_WARNING_MS) {
            warnings.add(format("The generator itself fell behind its schedule: with nothing holding them back, some"
                    + " requests were sent up to %.1f ms after they were due (see schedulerLagMs in the timeline)."
                    + " Latency is still measured from the due time. That is the generator's own limit, usually"
                    + " its CPU (too few cores for the rate, or cores shared with other work) or a pause of its"
                    + " JVM: give it more cores or a lower rate, or spread the test over several generators.",
                    worstLag));
        }
    }

    private static String dropCause(Summary summary, int maxConcurrency, boolean generatorBehind) {
        List<String> causes = new ArrayList<>();
        if (generatorBehind) {
            causes.add("the generator itself fell behind its schedule");
        }
        if (summary.delayed() > 0) {
            causes.add(format("all maxConcurrency (%d) requests were in flight", maxConcurrency));
        }
        if (summary.connectDelayed() > 0) {
            causes.add("new connections were still being set up");
        }
        return causes.isEmpty() ? "the generator could not send them in time" : String.join(" and ", causes);
    }

    /** Time spent after the duration awaiting requests in flight, which the throughput's elapsed time includes. */
    private static void tail(Summary summary, Run run, RunRecorder recorder, List<String> warnings) {
        Duration planned = plannedDuration(run);
        double tailSeconds = summary.elapsedSeconds() - planned.toNanos() / 1e9;
        long inFlight = recorder.inFlightAtDurationEnd();
        if (tailSeconds * 1e9 < TAIL_WORTH_SAYING.toNanos() || inFlight <= 0) {
            return;
        }
        warnings.add(format("The run ended %.3f s after its planned %s: %d %s still in flight when the duration ended"
                        + " and %s awaited (each up to its timeout of %s). No request started after the duration;"
                        + " throughput is over the whole %.3f s.",
                tailSeconds, Durations.format(planned), inFlight, inFlight == 1 ? "request was" : "requests were",
                inFlight == 1 ? "was" : "were", timeoutOf(run),
                summary.elapsedSeconds()));
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).toList();
    }


    private static String timeoutOf(Run run) {
        RequestDefinition request = run.definition().request();
        return request == null ? "its step" : Durations.format(request.timeout());
    }

    private static String hostAndPort(Run run) {
        RequestDefinition request = run.definition().request();
        if (request == null || request.url().contains("{{")) {
            return "the URLs its steps name";
        }
        java.net.URI url = java.net.URI.create(request.url());
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
    }

    private static double percent(long part, long whole) {
        return 100.0 * part / Math.max(1, whole);
    }

    private static Duration plannedDuration(Run run) {
        return run.definition().workload().totalDuration();
    }

    private static String format(String template, Object... values) {
        return String.format(Locale.ROOT, template, values);
    }
}
