package dev.barrage.config;

import dev.barrage.runs.RunService;
import dev.barrage.engine.LoadEngine;
import dev.barrage.warmup.EngineWarmup;
import dev.barrage.warmup.JitThresholds;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Warms the engine up once the application is ready (Tomcat answers, health is UP): runs wait in the
 * queue and readiness says OUT_OF_SERVICE until the warm-up ends ({@link EngineWarmup}). A distributed
 * run's share, and shutdown, stop it early.
 *
 * <p>Thread-safety: the warm-up runs on its own platform thread; {@link #warming()} and the stop
 * flag are volatile, read by health checks and the run service from any thread.
 */
final class StartupWarmup implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StartupWarmup.class);
    /** Half a second per model: short enough to stop soon, long enough that the JIT's work shows. */
    private static final Duration SLICE = Duration.ofMillis(500);
    /** Quiet: the compilers used at most 2 % of a slice's time (5 % is what a warmed JVM still compiles under load). */
    private static final double QUIET_SHARE = 0.02;
    /** Beyond what one core serves with the responder beside it: the slices exercise the behind-schedule paths too. */
    private static final double OPEN_RATE = 20_000;
    private static final int CLOSED_USERS = 32;

    private final RunService runs;
    private final LoadEngine engine;
    private final BarrageProperties.Warmup settings;
    private volatile boolean warming;
    private volatile boolean stop;
    private volatile boolean shuttingDown;
    private volatile Thread thread;

    StartupWarmup(RunService runs, LoadEngine engine, BarrageProperties.Warmup settings) {
        this.runs = runs;
        this.engine = engine;
        this.settings = settings;
        if (settings.enabled()) {
            warming = true;
            runs.holdForWarmup(() -> stop = true);
        }
    }

    /** True from construction until the warm-up ended (never, when it is disabled). */
    boolean warming() {
        return warming;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!warming || thread != null) {
            return;
        }
        thread = Thread.ofPlatform().name("barrage-warmup").daemon().start(this::warmUp);
    }

    private void warmUp() {
        try {
            long minRequestsPerModel = JitThresholds.requestsPerModel();
            EngineWarmup.Result result = EngineWarmup.run(engine, new EngineWarmup.Settings(settings.maxDuration(), SLICE,
                    QUIET_SHARE, OPEN_RATE, CLOSED_USERS, minRequestsPerModel), () -> stop);
            log.info("Warm-up {} after {} ms: {} slices, {} requests to a loopback responder (at least {} of each model"
                            + " since the JIT was last busy), JIT compiler threads' CPU {} ms",
                    result.quiet() ? "done, the JIT is quiet," : result.stopped() ? "stopped early" : "ended at its limit",
                    result.elapsed().toMillis(), result.slices(), result.requests(), minRequestsPerModel,
                    result.compileMillis());
            if (!result.stopped() && !runs.anyWaiting()) {
                // Each slice's recorder lived long enough to be promoted: tens of MB of dead histograms
                // in the old generation, which the first run would otherwise grow the heap beside. A
                // run that waited collects them itself as it starts (RunService.start).
                System.gc();
            }
        } catch (InterruptedException e) {
            log.info("Warm-up interrupted");
        } catch (Exception e) {
            log.warn("Warm-up failed; the node is ready without it: {}", e.toString());
        } finally {
            warming = false;
            if (!shuttingDown) {
                runs.warmedUp(); // at shutdown the queued runs are being cancelled: start none of them
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        shuttingDown = true;
        stop = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            running.join(Duration.ofSeconds(5));
        }
    }
}
