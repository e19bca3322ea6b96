package dev.barrage.observability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every PromQL expression of a Grafana dashboard, and Grafana's variable substitution for them. */
final class DashboardQueries {

    /** One target of one panel. */
    record PanelQuery(String panel, String refId, String expr) {

        @Override
        public String toString() {
            return "panel \"" + panel + "\" " + refId;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

    private DashboardQueries() {
    }

    static JsonNode read(Path dashboard) {
        return JsonMapper.builder().build().readTree(dashboard.toFile());
    }

    /** The targets of all panels, rows' nested panels included. */
    static List<PanelQuery> targets(JsonNode dashboard) {
        List<PanelQuery> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<PanelQuery> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new PanelQuery(panel.path("title").asString(), target.path("refId").asString(),
                        target.path("expr").asString()));
            }
            collect(panel.path("panels"), into);
        }
    }

    /** The templating variable named {@code name}. */
    static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asString().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("dashboard has no variable " + name);
    }

    /**
     * Replaces {@code $name} and {@code ${name}} (with or without a format) as Grafana would; a
     * variable without a value fails, so a new variable cannot slip past the test unevaluated.
     */
    static String substitute(String expr, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = values.get(name);
            if (value == null) {
                throw new AssertionError("no value for $" + name + " in " + expr);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }
}
