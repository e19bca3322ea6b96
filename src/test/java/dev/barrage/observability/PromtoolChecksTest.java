package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool} on the shipped Prometheus files: the configs of the single node and of the cluster
 * (each with its rule file resolved next to it, as compose mounts them), the rules, and the rules'
 * unit tests. Skipped only without promtool.
 */
class PromtoolChecksTest {

    @BeforeEach
    void needsPromtool() {
        assumeTrue(Tool.present(Tool.PROMTOOL), Tool.PROMTOOL + " is absent: the promtool checks of deploy/prometheus"
                + " are skipped. Install the " + Tool.INSTALL_HINT);
    }

    @Test
    void theShippedPrometheusConfigIsValid() throws Exception {
        assertValidConfigWithItsRules(Deploy.PROMETHEUS_CONFIG);
    }

    @Test
    void theClusterPrometheusConfigIsValid() throws Exception {
        assertValidConfigWithItsRules(Deploy.PROMETHEUS_CLUSTER_CONFIG);
    }

    @Test
    void theShippedRulesAreValid() throws Exception {
        Tool.Result check = Tool.run(null, Tool.PROMTOOL.toString(), "check", "rules", Deploy.RULES.toString());

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.output()).as(check.describe()).contains("SUCCESS");
    }

    @Test
    void theRulesRecordAndAlertAsTheirUnitTestsExpect() throws Exception {
        Tool.Result test = Tool.run(null, Tool.PROMTOOL.toString(), "test", "rules", Deploy.RULES_TEST.toString());

        assertThat(test.exitCode()).as(test.describe()).isZero();
        assertThat(test.output()).as(test.describe()).contains("SUCCESS");
    }

    private static void assertValidConfigWithItsRules(Path config) throws Exception {
        Tool.Result check = Tool.run(null, Tool.PROMTOOL.toString(), "check", "config", config.toString());

        assertThat(check.exitCode()).as(check.describe()).isZero();
        assertThat(check.output()).as(check.describe()).contains("SUCCESS: 1 rule files found");
    }
}
