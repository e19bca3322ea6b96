package dev.barrage.config;

import dev.barrage.engine.AggregationLane;
import dev.barrage.engine.CarrierBacklog;
import dev.barrage.engine.LoadEngine;
import dev.barrage.engine.NanoClock;
import dev.barrage.engine.transport.AllowList;
import dev.barrage.engine.transport.TransportFactory;
import dev.barrage.metrics.RunMetricsCollector;
import dev.barrage.metrics.RunOutcomeMetrics;
import dev.barrage.runs.RunListener;
import dev.barrage.runs.JsonFileRunStore;
import dev.barrage.runs.HostCpu;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunLimits;
import dev.barrage.runs.RunStore;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Spring-free engine into the application. */
@Configuration(proxyBeanMethods = false)
class EngineConfig {

    /** Far above any run this server writes (a 4 MiB definition and an hour of timeline), far below the heap. */
    private static final long MAX_STORED_RUN_BYTES = 32L * 1024 * 1024;

    @Bean(destroyMethod = "close")
    AggregationLane aggregationLane(BarrageProperties properties) {
        return new AggregationLane(properties.aggregationThreads());
    }

    @Bean
    LoadEngine loadEngine(BarrageProperties properties) {
        return new LoadEngine(NanoClock.SYSTEM, CarrierBacklog.ofJvm(), properties.eventLoops());
    }

    /**
     * Some framework meters (the API's own request timers, for one) come without help text, which
     * promtool rejects; give every meter one.
     */
    @Bean
    MeterFilter describeEveryMeter() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getDescription() != null) {
                    return id;
                }
                String description = id.getName().startsWith("http.server.requests")
                        ? "HTTP requests to Barrage's own API" : "Framework meter " + id.getName();
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    @Bean
    RunOutcomeMetrics runOutcomeMetrics(MeterRegistry meters) {
        return new RunOutcomeMetrics(meters);
    }

    @Bean
    RunStore runStore(BarrageProperties properties, JsonMapper json) {
        Path path = properties.store().path();
        // a stored run holds one definition (bounded by the request body limit) plus its timeline
        return path == null ? RunStore.NONE : new JsonFileRunStore(path, json, MAX_STORED_RUN_BYTES);
    }

    @Bean
    RunLimits runLimits(BarrageProperties properties) {
        return properties.limits().toRunLimits();
    }

    @Bean
    RunService runService(LoadEngine engine, TransportFactory transports, AllowList targets, RunStore store,
                          AggregationLane lane, List<RunListener> listeners, RunLimits limits) {
        return new RunService(engine, transports, targets, store, lane, listeners, limits, Clock.systemUTC(),
                HostCpu.PROC_STAT);
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
