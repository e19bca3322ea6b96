package dev.barrage.config;

import dev.barrage.engine.LoadEngine;
import dev.barrage.runs.RunService;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The start-up warm-up and what readiness says about it: {@code /actuator/health/readiness}, and so
 * {@code /actuator/health} which includes it, is OUT_OF_SERVICE (503) while the node warms up, then
 * follows the application's readiness as usual. {@code /actuator/health/liveness} is UP as soon as
 * the API answers.
 */
@Configuration(proxyBeanMethods = false)
class WarmupConfig {

    @Bean
    StartupWarmup startupWarmup(RunService runs, LoadEngine engine, BarrageProperties properties) {
        return new StartupWarmup(runs, engine, properties.warmup());
    }

    /** Replaces Boot's own (same bean name). */
    @Bean
    ReadinessStateHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
                                                                StartupWarmup warmup) {
        return new ReadinessStateHealthIndicator(availability) {
            @Override
            protected AvailabilityState getState(ApplicationAvailability applicationAvailability) {
                return warmup.warming() ? ReadinessState.REFUSING_TRAFFIC : super.getState(applicationAvailability);
            }
        };
    }
}
