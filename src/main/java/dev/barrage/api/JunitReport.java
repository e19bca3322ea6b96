package dev.barrage.api;

import dev.barrage.runs.Run;
import dev.barrage.runs.RunState;
import dev.barrage.runs.RunStatus;
import dev.barrage.runs.ThresholdResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A finished run as JUnit XML, the report format CI systems show: one test suite per run, a test
 * case that the run completed (an error when it was cancelled or failed, so a pipeline cannot take
 * a cut-short run for a pass), and one test case per threshold (a failure when it did not hold).
 * The warnings go to {@code system-out}. Stateless.
 */
final class JunitReport {

    private JunitReport() {
    }

    static String of(Run run) {
        RunState state = run.state();
        List<ThresholdResult> thresholds = state.thresholds();
        long failures = thresholds.stream().filter(result -> !Boolean.TRUE.equals(result.passed())).count();
        boolean completed = state.status() == RunStatus.COMPLETED;
        double seconds = seconds(state.startedAt(), state.finishedAt());
        String suite = "barrage." + run.id();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT,
                "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\"%s>%n",
                attribute(suite + " " + run.definition().name()), thresholds.size() + 1, failures, completed ? 0 : 1,
                seconds, state.finishedAt() == null ? "" : " timestamp=\"" + state.finishedAt() + "\""));
        xml.append("  <properties>\n");
        property(xml, "barrage.run", run.id());
        property(xml, "barrage.status", state.status().name());
        property(xml, "barrage.verdict", state.verdict().name());
        property(xml, "barrage.requests", Long.toString(state.snapshot().summary().requests()));
        xml.append("  </properties>\n");
        xml.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"the run completed\" time=\"%.3f\">%n",
                attribute(suite), seconds));
        if (!completed) {
            String reason = state.failureReason() != null ? state.failureReason() : "the run ended " + state.status();
            xml.append("    <error type=\"").append(state.status()).append("\" message=\"").append(attribute(reason))
                    .append("\"/>\n");
        }
        xml.append("  </testcase>\n");
        for (ThresholdResult result : thresholds) {
            xml.append("  <testcase classname=\"").append(attribute(suite)).append("\" name=\"")
                    .append(attribute(result.expression())).append("\" time=\"0\">\n");
            if (!Boolean.TRUE.equals(result.passed())) {
                String actual = result.actual() == null ? "no data to judge" : "actual " + result.actual();
                xml.append("    <failure type=\"threshold\" message=\"").append(attribute(result.expression() + ": " + actual))
                        .append("\"/>\n");
            }
            xml.append("  </testcase>\n");
        }
        xml.append("  <system-out>").append(text(String.join("\n", state.warnings()))).append("</system-out>\n");
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    private static void property(StringBuilder xml, String name, String value) {
        xml.append("    <property name=\"").append(attribute(name)).append("\" value=\"").append(attribute(value)).append("\"/>\n");
    }

    private static double seconds(Instant start, Instant end) {
        return start == null || end == null ? 0 : Duration.between(start, end).toNanos() / 1e9;
    }

    private static String attribute(String value) {
        return text(value).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    /** XML text: escaped, and without the control characters XML 1.0 cannot carry. */
    private static String text(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
