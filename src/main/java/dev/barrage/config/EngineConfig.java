package dev.barrage.config;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.transport.TransportFactory;
import dev.barrage.metrics.RunMetricsCollector;
import dev.barrage.metrics.RunOutcomeMetrics;
import dev.barrage.runs.RunListener;
import dev.barrage.runs.RunService;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Spring-free engine into the application. */
@Configuration(proxyBeanMethods = false)
class EngineConfig {

    @Bean(destroyMethod = "close")
    AggregationLane aggregationLane(BarrageProperties properties) {
        return new AggregationLane(properties.aggregationThreads());
    }

    @Bean
    LoadEngine loadEngine() {
        return new LoadEngine(NanoClock.SYSTEM);
    }

    @Bean
    RunOutcomeMetrics runOutcomeMetrics(MeterRegistry meters) {
        return new RunOutcomeMetrics(meters);
    }

    @Bean
    RunService runService(LoadEngine engine, TransportFactory transports, AggregationLane lane,
                          List<RunListener> listeners, BarrageProperties properties) {
        return new RunService(engine, transports, lane, listeners, properties.limits().retention(), Clock.systemUTC());
    }

    @Bean
    RunMetricsCollector runMetricsCollector(RunService runs, PrometheusRegistry prometheus) {
        RunMetricsCollector collector = new RunMetricsCollector(runs);
        prometheus.register(collector);
        return collector;
    }

    @Bean
    RunShutdown runShutdown(RunService runs, BarrageProperties properties) {
        return new RunShutdown(runs, properties.shutdownWait());
    }
}
