package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.barrage.cluster.ClusterSettings;
import dev.barrage.engine.transport.AllowList;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The ways a newcomer starts Barrage keep their promises: the compose set-up may load the targets
 * it documents, the README's run command gets the JIT the benchmarks used and exits on
 * OutOfMemoryError, and the cluster set-ups (compose and the Kubernetes example) list every member,
 * take the secret from outside the file and are scraped node by node. (No Docker engine or
 * Kubernetes runs here, so the files are checked, not run.)
 */
class DeploymentFilesTest {

    private static final int MEMBER_PORT = 5701;
    /** Compose's "required" form: without the variable set, compose refuses to start. */
    private static final Pattern SECRET_FROM_ENVIRONMENT = Pattern.compile("\\$\\{BARRAGE_CLUSTER_SECRET:\\?[^}]+}");

    @Test
    void composeAllowsTheDemoTargetAndTheHostItDocumentsAndStillLoopback() throws Exception {
        String compose = Files.readString(Deploy.COMPOSE);
        Matcher allow = Pattern.compile("BARRAGE_TARGETS_ALLOW:\\s*\"([^\"]+)\"").matcher(compose);
        assertThat(allow.find()).as("compose sets BARRAGE_TARGETS_ALLOW for barrage").isTrue();
        AllowList allowList = new AllowList(Arrays.stream(allow.group(1).split(",")).map(String::strip).toList());

        // addresses as Docker would give them: the names decide, whatever they resolve to
        InetAddress bridge = InetAddress.getByAddress(new byte[] {(byte) 172, 18, 0, 5});
        assertThat(allowList.allows("target", bridge)).isTrue();
        assertThat(allowList.allows("host.docker.internal", InetAddress.getByAddress(new byte[] {(byte) 172, 17, 0, 1}))).isTrue();
        assertThat(allowList.allows("localhost", InetAddress.getLoopbackAddress())).isTrue();
        assertThat(allowList.allows("example.com", InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 215, 14}))).isFalse();
        assertThat(compose).contains("http://target/", "host.docker.internal:host-gateway");
    }

    @Test
    void theReadmesRunCommandUsesTheFullJitASmallStartingHeapAndExitsOnOutOfMemory() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String plugin = pom.substring(pom.indexOf("<artifactId>spring-boot-maven-plugin</artifactId>"));
        plugin = plugin.substring(0, plugin.indexOf("</plugin>"));

        assertThat(plugin).contains("<optimizedLaunch>false</optimizedLaunch>", "-XX:+ExitOnOutOfMemoryError", "-Xms32m",
                "-XX:NewRatio=4", "-XX:TrimNativeHeapInterval=1000", "-XX:CompileThresholdScaling=10");
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        assertThat(readme).contains("./mvnw spring-boot:run", "./mvnw -B verify");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void theImageRunsTheExtractedJarWithTheAotCacheItsOwnTrainingRunMade() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        String training = runtime.lines().filter(line -> line.startsWith("RUN aot-training.sh")).findFirst().orElseThrow();
        String entrypoint = runtime.lines().filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        String script = Files.readString(Path.of("docker/aot-training.sh"));

        // extracted as plain jars (the cache cannot hold classes read from nested jars), not the launcher layout
        assertThat(dockerfile).contains("extract --layers --destination /layers").doesNotContain("--launcher");
        // made in the image that runs it (the cache belongs to one JVM build), by the same jar and flags
        assertThat(runtime).contains("COPY --chmod=755 docker/aot-training.sh /usr/local/bin/aot-training.sh");
        assertThat(training).contains("aot-training.sh barrage.aot barrage.jar $BARRAGE_MODULE_FLAGS", "test -s barrage.aot");
        assertThat(entrypoint).contains("-XX:AOTCache=barrage.aot", "$BARRAGE_MODULE_FLAGS", "-jar barrage.jar",
                "exec java");
        assertThat(runtime.indexOf("COPY --chmod=755 docker/aot-training.sh")).isLessThan(runtime.indexOf("RUN aot-training.sh"));
        assertThat(runtime.indexOf("RUN aot-training.sh")).isLessThan(runtime.indexOf("\nUSER "));
        assertThat(runtime).contains("-XX:TrimNativeHeapInterval=1000", "-XX:NewRatio=4", "-XX:CompileThresholdScaling=10");
        // the training goes through the warm-up on loopback, then ends the JVM so that it writes the cache
        assertThat(script).contains("-XX:AOTCacheOutput=\"$cache\" \"$@\" -jar \"$jar\"",
                "--server.address=127.0.0.1", "--barrage.warmup.enabled=true", "grep -q \"Warm-up \"",
                "kill -TERM", "[ ! -s \"$cache\" ]");
    }

    @Test
    void theClusterComposeRunsThreeNodesOfOneClusterThatListOneAnother() throws Exception {
        Map<String, Object> services = clusterServices();
        List<String> nodes = clusterNodes(services);
        assertThat(nodes).containsExactly("barrage-1", "barrage-2", "barrage-3");

        List<String> everyNode = nodes.stream().map(node -> node + ":" + MEMBER_PORT).toList();
        Set<Object> clusterNames = new HashSet<>();
        for (String node : nodes) {
            Map<String, Object> environment = environment(services, node);
            assertThat(map(services.get(node)).get("image")).as(node + "'s image").isEqualTo("barrage:local");
            assertThat(environment.get("BARRAGE_CLUSTER_ENABLED")).as(node + " joins a cluster").isEqualTo("true");
            clusterNames.add(environment.get("BARRAGE_CLUSTER_NAME"));
            List<String> members = members(environment.get("BARRAGE_CLUSTER_MEMBERS"));
            assertThat(members).as(node + "'s members").containsExactlyInAnyOrderElementsOf(everyNode);
            assertAcceptedAtStartUp(members);
        }
        assertThat(clusterNames).as("the nodes' cluster name").hasSize(1).doesNotContainNull();
    }

    @Test
    void theClusterComposeNodesNeedTheSecretFromOutsideAndPublishOnlyHttp() throws Exception {
        Map<String, Object> services = clusterServices();
        Object singleNodeTargets = environment(map(yaml(Deploy.COMPOSE).get("services")), "barrage").get("BARRAGE_TARGETS_ALLOW");
        List<Object> hostPorts = new ArrayList<>();
        for (String node : clusterNodes(services)) {
            Map<String, Object> environment = environment(services, node);
            assertThat(String.valueOf(environment.get("BARRAGE_CLUSTER_SECRET"))).as(node + "'s secret")
                    .matches(SECRET_FROM_ENVIRONMENT);
            assertThat(environment.get("BARRAGE_TARGETS_ALLOW")).as(node + "'s targets, as compose.yaml's")
                    .isEqualTo(singleNodeTargets);
            hostPorts.addAll(list(map(services.get(node)).get("ports")));
        }
        // member traffic is unencrypted: only HTTP is published, the nodes meet on the compose network
        assertThat(hostPorts).containsExactly("8081:8080", "8082:8080", "8083:8080");
    }

    @Test
    void theClusterComposeScrapesEveryNodeUnderTheDashboardsJobAndProvisionsTheSameDashboard() throws Exception {
        Map<String, Object> services = clusterServices();
        Map<String, Object> prometheus = map(services.get("prometheus"));
        assertThat(list(prometheus.get("command")))
                .contains("--config.file=/etc/prometheus/" + Deploy.PROMETHEUS_CLUSTER_CONFIG.getFileName());
        assertThat(list(prometheus.get("volumes"))).contains("./prometheus:/etc/prometheus:ro");
        assertThat(Deploy.PROMETHEUS_CLUSTER_CONFIG.getParent()).isEqualTo(Deploy.PROMETHEUS_CONFIG.getParent());
        assertThat(list(map(services.get("grafana")).get("volumes"))).contains(
                "./grafana/provisioning:/etc/grafana/provisioning:ro", "./grafana/dashboards:/etc/grafana/dashboards:ro");

        Map<String, Object> config = yaml(Deploy.PROMETHEUS_CLUSTER_CONFIG);
        assertThat(list(config.get("rule_files"))).containsExactly("rules.yml");
        Map<String, Object> barrageJob = scrapeJob(config, "barrage");
        assertThat(barrageJob.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(scrapeTargets(barrageJob)).containsExactlyInAnyOrderElementsOf(
                clusterNodes(services).stream().map(node -> node + ":8080").toList());
    }

    @Test
    void theStatefulSetListsOneMemberPerReplicaUnderItsHeadlessService() throws Exception {
        List<Map<String, Object>> documents = yamlDocuments(Deploy.STATEFULSET);
        Map<String, Object> statefulSet = document(documents, "StatefulSet", null);
        Map<String, Object> spec = map(statefulSet.get("spec"));
        String name = String.valueOf(map(statefulSet.get("metadata")).get("name"));
        String serviceName = String.valueOf(spec.get("serviceName"));
        int replicas = (Integer) spec.get("replicas");
        List<Map<String, Object>> env = env(statefulSet);

        List<String> perReplica = IntStream.range(0, replicas)
                .mapToObj(i -> name + "-" + i + "." + serviceName + ".$(POD_NAMESPACE).svc.cluster.local:" + MEMBER_PORT)
                .toList();
        List<String> members = members(variable(env, "BARRAGE_CLUSTER_MEMBERS").get("value"));
        assertThat(members).as("BARRAGE_CLUSTER_MEMBERS: one stable pod name per replica").containsExactlyElementsOf(perReplica);
        assertThat(replicas).isEqualTo(3);
        assertAcceptedAtStartUp(members.stream().map(member -> member.replace("$(POD_NAMESPACE)", "default")).toList());
        // Kubernetes expands $(VAR) only from a variable defined earlier in the list
        assertThat(env.indexOf(variable(env, "POD_NAMESPACE")))
                .isLessThan(env.indexOf(variable(env, "BARRAGE_CLUSTER_MEMBERS")));
        assertThat(variable(env, "POD_NAMESPACE").toString()).contains("fieldPath=metadata.namespace");
        assertThat(variable(env, "BARRAGE_CLUSTER_ENABLED").get("value")).isEqualTo("true");

        Map<String, Object> headless = map(document(documents, "Service", serviceName).get("spec"));
        assertThat(headless.get("clusterIP")).isEqualTo("None");
        assertThat(headless.get("publishNotReadyAddresses")).as("names resolve before the pods are ready").isEqualTo(true);
        assertThat(ports(headless)).contains(MEMBER_PORT);
        assertThat(podLabels(statefulSet)).containsAllEntriesOf(map(headless.get("selector")));
    }

    @Test
    void theStatefulSetTakesItsSecretFromASecretAndServesHttpWhenHealthy() throws Exception {
        List<Map<String, Object>> documents = yamlDocuments(Deploy.STATEFULSET);
        Map<String, Object> statefulSet = document(documents, "StatefulSet", null);

        Map<String, Object> secret = variable(env(statefulSet), "BARRAGE_CLUSTER_SECRET");
        assertThat(secret).as("the secret comes from a Kubernetes Secret, never a literal").doesNotContainKey("value");
        assertThat(map(secret.get("valueFrom"))).containsKey("secretKeyRef");
        Map<String, Object> readiness = map(container(statefulSet).get("readinessProbe"));
        assertThat(map(readiness.get("httpGet")).get("path")).isEqualTo("/actuator/health/readiness");

        String name = String.valueOf(map(statefulSet.get("metadata")).get("name"));
        Map<String, Object> http = map(document(documents, "Service", name).get("spec"));
        assertThat(http).doesNotContainKey("clusterIP");
        assertThat(ports(http)).containsExactly(8080);
        assertThat(podLabels(statefulSet)).containsAllEntriesOf(map(http.get("selector")));
    }

    /** The members pass the check Barrage makes of {@code barrage.cluster.members} at start-up. */
    private static void assertAcceptedAtStartUp(List<String> members) {
        assertThatCode(() -> new ClusterSettings("barrage", MEMBER_PORT, members, "a secret", null))
                .as("barrage.cluster.members=" + members).doesNotThrowAnyException();
    }

    private static Map<String, Object> clusterServices() throws IOException {
        return map(yaml(Deploy.COMPOSE_CLUSTER).get("services"));
    }

    private static List<String> clusterNodes(Map<String, Object> services) {
        return services.keySet().stream().filter(service -> service.startsWith("barrage-")).sorted().toList();
    }

    private static Map<String, Object> environment(Map<String, Object> services, String service) {
        return map(map(services.get(service)).get("environment"));
    }

    private static List<String> members(Object commaSeparated) {
        return Arrays.stream(String.valueOf(commaSeparated).split(",")).map(String::strip).toList();
    }

    private static Map<String, Object> scrapeJob(Map<String, Object> config, String name) {
        return list(config.get("scrape_configs")).stream().map(DeploymentFilesTest::map)
                .filter(job -> name.equals(job.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job " + name + " in " + config));
    }

    private static List<Object> scrapeTargets(Map<String, Object> job) {
        return list(job.get("static_configs")).stream().flatMap(group -> list(map(group).get("targets")).stream()).toList();
    }

    private static List<Object> ports(Map<String, Object> serviceSpec) {
        return list(serviceSpec.get("ports")).stream().map(port -> map(port).get("port")).toList();
    }

    private static Map<String, Object> container(Map<String, Object> statefulSet) {
        Map<String, Object> podSpec = map(map(map(statefulSet.get("spec")).get("template")).get("spec"));
        return map(single(list(podSpec.get("containers"))));
    }

    private static Map<String, Object> podLabels(Map<String, Object> statefulSet) {
        return map(map(map(map(statefulSet.get("spec")).get("template")).get("metadata")).get("labels"));
    }

    private static List<Map<String, Object>> env(Map<String, Object> statefulSet) {
        return list(container(statefulSet).get("env")).stream().map(DeploymentFilesTest::map).toList();
    }

    private static Map<String, Object> variable(List<Map<String, Object>> env, String name) {
        return env.stream().filter(variable -> name.equals(variable.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + env));
    }

    /** The one document of this kind (and name, unless null). */
    private static Map<String, Object> document(List<Map<String, Object>> documents, String kind, String name) {
        return map(single(documents.stream().filter(document -> kind.equals(document.get("kind")))
                .filter(document -> name == null || name.equals(map(document.get("metadata")).get("name")))
                .toList()));
    }

    private static Object single(List<?> items) {
        assertThat(items).hasSize(1);
        return items.getFirst();
    }

    /** A file of one document. */
    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(single(yamlDocuments(file)));
    }

    /** Every document of the file; the safe loader resolves anchors and {@code <<} merges as compose does. */
    private static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            documents.add(map(document));
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }
}
