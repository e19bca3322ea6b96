package dev.barrage.runs;

import dev.barrage.engine.recording.LatencySummary;
import dev.barrage.engine.recording.Summary;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion {@code METRIC OP VALUE}, e.g. {@code p99 < 250ms}, {@code error_rate < 0.01},
 * {@code rps >= 400}. Latency metrics take a duration and compare in milliseconds.
 */
record Threshold(String expression, Metric metric, Operator operator, double value) {

    private static final Pattern FORM = Pattern.compile("\\s*([a-z_0-9]+)\\s*(<=|>=|<|>)\\s*(\\S+)\\s*", Pattern.CASE_INSENSITIVE);

    enum Metric {
        P50(true), P90(true), P95(true), P99(true), P999(true), MAX(true), MEAN(true), ERROR_RATE(false), RPS(false);

        final boolean latency;

        Metric(boolean latency) {
            this.latency = latency;
        }

        double of(Summary summary) {
            LatencySummary latency = summary.latencyMs();
            return switch (this) {
                case P50 -> latency.p50();
                case P90 -> latency.p90();
                case P95 -> latency.p95();
                case P99 -> latency.p99();
                case P999 -> latency.p999();
                case MAX -> latency.max();
                case MEAN -> latency.mean();
                case ERROR_RATE -> summary.errorRate();
                case RPS -> summary.throughput();
            };
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
                    + "' is not a threshold: write METRIC OP VALUE, such as \"p99 < 250ms\" or \"error_rate < 0.01\"");
        }
        Metric metric;
        try {
            metric = Metric.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + matcher.group(1)
                    + "' is not a threshold metric: use p50, p90, p95, p99, p999, max, mean, error_rate or rps");
        }
        String value = matcher.group(3);
        double limit = metric.latency ? millis(value) : number(value);
        return new Threshold(expression.strip(), metric, Operator.of(matcher.group(2)), limit);
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

    /** A preview on a live summary: nothing to show until a request has ended. */
    ThresholdResult preview(Summary summary) {
        if (summary.requests() == 0) {
            return new ThresholdResult(expression, null, null);
        }
        return judge(summary);
    }

    /** The final judgement; no request at all fails every threshold (nothing was shown to hold). */
    ThresholdResult judge(Summary summary) {
        if (summary.requests() == 0) {
            return new ThresholdResult(expression, null, false);
        }
        double actual = metric.of(summary);
        return new ThresholdResult(expression, actual, operator.holds(actual, value));
    }
}
