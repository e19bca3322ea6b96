package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's shape, without Grafana: current schema, data source and run variables, every
 * panel and query on {@code ${datasource}}, a grid without overlaps, and provisioning paths that
 * match what compose mounts. Its queries are run against Prometheus by {@link PrometheusEndToEndTest}.
 */
class DashboardJsonTest {

    private final JsonNode dashboard = DashboardQueries.read(Deploy.DASHBOARD);

    @Test
    void aCurrentSchemaWithADataSourceVariableAndAMultiSelectRunVariable() {
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(dashboard.path("uid").asString()).isEqualTo("barrage");

        JsonNode datasource = DashboardQueries.variable(dashboard, "datasource");
        assertThat(datasource.path("type").asString()).isEqualTo("datasource");
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");

        JsonNode test = DashboardQueries.variable(dashboard, "test");
        assertThat(test.path("type").asString()).isEqualTo("query");
        assertThat(test.path("definition").asString()).isEqualTo("query_result(load_tester_run_info)");
        assertThat(test.path("regex").asString()).contains("(?<text>", "(?<value>");
        assertThat(test.path("query").path("query").asString()).isEqualTo(test.path("definition").asString());
        assertThat(test.path("multi").asBoolean()).isTrue();
        assertThat(test.path("includeAll").asBoolean()).isTrue();
        assertThat(test.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
    }

    @Test
    void everyPanelAndQueryUsesTheDataSourceVariable() {
        SoftAssertions softly = new SoftAssertions();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            String title = panel.path("title").asString();
            softly.assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel " + title).isTrue();
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            softly.assertThat(panel.path("datasource").path("uid").asString()).as("data source of " + title)
                    .isEqualTo("${datasource}");
            softly.assertThat(panel.path("targets").size()).as("queries of " + title).isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                softly.assertThat(target.path("datasource").path("uid").asString()).as("data source of a query of " + title)
                        .isEqualTo("${datasource}");
                softly.assertThat(target.path("expr").asString()).as("expr of " + title).isNotBlank();
                softly.assertThat(refIds.add(target.path("refId").asString())).as("unique refId in " + title).isTrue();
            }
        }
        softly.assertAll();
    }

    @Test
    void panelsDoNotOverlapOnTheGrid() {
        List<JsonNode> panels = panels();
        for (int i = 0; i < panels.size(); i++) {
            JsonNode a = panels.get(i).path("gridPos");
            assertThat(a.path("x").asInt() + a.path("w").asInt()).as("width of " + panels.get(i).path("title")).isLessThanOrEqualTo(24);
            for (int j = i + 1; j < panels.size(); j++) {
                JsonNode b = panels.get(j).path("gridPos");
                boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                assertThat(overlap).as(panels.get(i).path("title") + " overlaps " + panels.get(j).path("title")).isFalse();
            }
        }
    }

    @Test
    void provisioningPathsMatchWhatComposeMounts() throws Exception {
        String compose = Files.readString(Deploy.COMPOSE);
        assertThat(compose).contains("./grafana/provisioning:/etc/grafana/provisioning",
                "./grafana/dashboards:/etc/grafana/dashboards", "./prometheus:/etc/prometheus",
                "--config.file=/etc/prometheus/prometheus.yml", "context: ..");
        assertThat(Files.readString(Deploy.DASHBOARD_PROVIDER)).contains("path: /etc/grafana/dashboards");
        assertThat(Files.readString(Deploy.DATASOURCES)).contains("type: prometheus", "url: http://prometheus:9090");
        assertThat(Files.readString(Deploy.PROMETHEUS_CONFIG)).contains("job_name: barrage",
                "metrics_path: /actuator/prometheus", "barrage:8080", "- rules.yml");
    }

    private List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }
}
