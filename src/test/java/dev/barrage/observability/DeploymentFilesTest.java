package dev.barrage.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.engine.transport.AllowList;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ways a newcomer starts Barrage keep their promises: the compose set-up may load the targets
 * it documents, and the README's run command gets the JIT the benchmarks used and exits on
 * OutOfMemoryError. (No Docker engine runs here, so the files are checked, not run.)
 */
class DeploymentFilesTest {

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
    void theReadmesRunCommandUsesTheFullJitAndExitsOnOutOfMemory() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String plugin = pom.substring(pom.indexOf("<artifactId>spring-boot-maven-plugin</artifactId>"));
        plugin = plugin.substring(0, plugin.indexOf("</plugin>"));

        assertThat(plugin).contains("<optimizedLaunch>false</optimizedLaunch>", "-XX:+ExitOnOutOfMemoryError");
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        assertThat(readme).contains("./mvnw spring-boot:run", "./mvnw -B verify");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("-XX:+ExitOnOutOfMemoryError");
    }
}
