package dev.barrage.observability;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository's {@code deploy/} folder and this package's test resources, from the module root. */
final class Deploy {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path PROMETHEUS_CONFIG = file("deploy/prometheus/prometheus.yml");
    static final Path PROMETHEUS_CLUSTER_CONFIG = file("deploy/prometheus/prometheus-cluster.yml");
    static final Path RULES = file("deploy/prometheus/rules.yml");
    static final Path RULES_TEST = file("src/test/resources/observability/rules.test.yml");
    static final Path DASHBOARD = file("deploy/grafana/dashboards/barrage.json");
    static final Path COMPOSE = file("deploy/compose.yaml");
    static final Path COMPOSE_CLUSTER = file("deploy/compose-cluster.yaml");
    static final Path STATEFULSET = file("deploy/kubernetes/barrage-statefulset.yaml");
    static final Path DATASOURCES = file("deploy/grafana/provisioning/datasources/prometheus.yml");
    static final Path DASHBOARD_PROVIDER = file("deploy/grafana/provisioning/dashboards/barrage.yml");

    private Deploy() {
    }

    private static Path file(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(relative + " not found under " + ROOT + " (tests run from the module root)");
        }
        return path;
    }
}
