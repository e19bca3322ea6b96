package dev.barrage.config;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Stops a start that uses Spring's build-time (AOT) processing ({@code -Dspring.aot.enabled=true})
 * when a setting asks for beans that processing left out. It fixed at build time, with the defaults,
 * which beans exist; a setting that would add or remove beans is then silently ignored. The one that
 * matters here: {@code management.server.port} (a port of the actuator's own, or -1 for none) would
 * leave the actuator, {@code /actuator/prometheus} included, on the main port. Such a start fails
 * with a message that says what to do instead. (The cluster is decided when the service starts, see
 * {@code ClusterConfig}, so {@code barrage.cluster.enabled} works either way.)
 *
 * <p>Listed in {@code META-INF/spring.factories}; runs once, on the main thread, after the
 * configuration files are read.
 */
final class AotStartCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment, AotDetector.useGeneratedArtifacts());
    }

    static void check(Environment environment, boolean aotProcessed) {
        if (aotProcessed && ManagementPortType.get(environment) != ManagementPortType.SAME) {
            throw new IllegalStateException("management.server.port=" + environment.getProperty("management.server.port")
                    + " needs the actuator's beans as they are made at start-up, but this start uses the ones Spring's"
                    + " AOT processing made at build time without it: start without -Dspring.aot.enabled=true"
                    + " (or, in the container image, with BARRAGE_SPRING_AOT= set empty)");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read
    }
}
