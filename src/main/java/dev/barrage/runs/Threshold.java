package dev.barrage.runs;

import dev.barrage.engine.recording.CheckCounts;
import dev.barrage.engine.recording.GroupSummary;
import dev.barrage.engine.recording.LatencySummary;
import dev.barrage.engine.recording.Summary;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion {@code METRIC OP VALUE}, e.g. {@code p99 < 250ms}, {@code error_rate < 0.01},
 * {@code rps >= 400}, {@code checks >= 0.99}, optionally for one step or scenario:
 * {@code p95{step="login"} < 300ms}. Latency metrics take a duration and compare in milliseconds.
 *
 * @param filterKind {@code step} or {@code scenario}, null for the whole run
 */
record Threshold(String expression, Metric metric, Operator operator, double value, String filterKind, String filterName) {

    private static final Pattern FORM = Pattern.compile(
            "\\s*([a-z_0-9]+)\\s*(?:\\{\\s*([a-z]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*}\\s*)?(<=|>=|<|>)\\s*(\\S+)\\s*",
            Pattern.CASE_INSENSITIVE);

    enum Metric {
        P50(true), P90(true), P95(true), P99(true), P999(true), MAX(true), MEAN(true), ERROR_RATE(false), RPS(false),
        CHECKS(false);

        final boolean latency;

        Metric(boolean latency) {
            this.latency = latency;
        }

        double of(Summary summary) {
            CheckCounts checks = summary.checks() == null ? CheckCounts.NONE
                    : new CheckCounts(summary.checks().passed(), summary.checks().failed());
            return of(summary.latencyMs(), summary.errorRate(), summary.throughput(), checks);
        }

        double of(GroupSummary group) {
            return of(group.latencyMs(), group.errorRate(), group.throughput(), group.checks());
        }

        private double of(LatencySummary latency, double errorRate, double throughput, CheckCounts checks) {
            return switch (this) {
                case P50 -> latency.p50();
                case P90 -> latency.p90();
                case P95 -> latency.p95();
                case P99 -> latency.p99();
                case P999 -> latency.p999();
                case MAX -> latency.max();
                case MEAN -> latency.mean();
                case ERROR_RATE -> errorRate;
                case RPS -> throughput;
                case CHECKS -> passedShare(checks);
            };
        }

        /** The share of checks that passed; NaN when none ran. */
        private static double passedShare(CheckCounts checks) {
            long total = checks.passed() + checks.failed();
            return total == 0 ? Double.NaN : (double) checks.passed() / total;
        }
    }

    enum Operator {
        LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double actual, double limit) {
            return switch (this) {
                case LT -> actual < limit;
                case LE -> actual <= limit;
                case GT -> actual > limit;
                case GE -> actual >= limit;
            };
        }

        static Operator of(String symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** @throws IllegalArgumentException with a message naming what is wrong */
    static Threshold parse(String expression) {
        Matcher matcher = FORM.matcher(expression);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + expression
                    + "' is not a threshold: write METRIC OP VALUE, such as \"p99 < 250ms\" or \"error_rate < 0.01\","
                    + " optionally for one step or scenario: \"p95{step=\\\"login\\\"} < 300ms\"");
        }
        Metric metric;
        try {
            metric = Metric.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + matcher.group(1)
                    + "' is not a threshold metric: use p50, p90, p95, p99, p999, max, mean, error_rate, rps or checks");
        }
        String kind = matcher.group(2) == null ? null : matcher.group(2).toLowerCase(Locale.ROOT);
        if (kind != null && !kind.equals("step") && !kind.equals("scenario")) {
            throw new IllegalArgumentException("'" + matcher.group(2) + "' is not a filter: write {step=\"NAME\"} or {scenario=\"NAME\"}");
        }
        String name = matcher.group(3) == null ? null : matcher.group(3).replaceAll("\\\\(.)", "$1");
        String value = matcher.group(5);
        double limit = metric.latency ? millis(value) : number(value);
        return new Threshold(expression.strip(), metric, Operator.of(matcher.group(4)), limit, kind, name);
    }

    private static double millis(String value) {
        try {
            return Durations.parse(value).toNanos() / 1e6;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration: latency thresholds take one, such as \"250ms\" or \"1.5s\"");
        }
    }

    private static double number(String value) {
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the common message below
        }
        throw new IllegalArgumentException("'" + value + "' is not a number, such as 0.01 or 400");
    }

    /** A preview on a live summary: nothing to show until a request (or check) it reads has ended. */
    ThresholdResult preview(Summary summary) {
        Double actual = actual(summary);
        return actual == null ? new ThresholdResult(expression, null, null) : judged(actual);
    }

    /**
     * The final judgement; with no request (or no check) to read, the threshold fails: nothing was
     * shown to hold.
     */
    ThresholdResult judge(Summary summary) {
        Double actual = actual(summary);
        return actual == null ? new ThresholdResult(expression, null, false) : judged(actual);
    }

    private ThresholdResult judged(double actual) {
        return new ThresholdResult(expression, actual, operator.holds(actual, value));
    }

    /** The metric on what the filter selects, or null when that has no data yet. */
    private Double actual(Summary summary) {
        double actual;
        if (filterKind == null) {
            if (summary.requests() == 0) {
                return null;
            }
            actual = metric.of(summary);
        } else {
            Map<String, GroupSummary> groups = filterKind.equals("step") ? summary.steps() : summary.scenarios();
            GroupSummary group = groups == null ? null : groups.get(filterName);
            if (group == null || group.requests() == 0) {
                return null;
            }
            actual = metric.of(group);
        }
        return Double.isNaN(actual) ? null : actual;
    }
}
