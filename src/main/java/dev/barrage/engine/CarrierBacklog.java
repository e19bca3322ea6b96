package dev.barrage.engine;

import java.lang.management.ManagementFactory;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * Whether the virtual threads' carriers are the bottleneck: more virtual threads wait runnable for
 * a carrier than the carriers can take soon. Then a request that finds no idle worker would not go
 * out sooner on a new connection: the workers it would wait for are not waiting for the target but
 * for the CPU, and opening connections only adds work for that CPU. So the open model's pool does
 * not grow while this holds, and the lateness it leaves is counted as the generator's own
 * (schedulerLagMs), not hidden behind ever more connections.
 *
 * <p>Thread-safety: implementations are safe to call from any thread.
 */
@FunctionalInterface
public interface CarrierBacklog {

    /** Never saturated: for tests on a fake clock, whose timing must not depend on the JVM's load. */
    CarrierBacklog NONE = () -> false;

    /** More runnable virtual threads queued than this many per carrier: the carriers are behind. */
    int QUEUED_PER_CARRIER = 4;

    boolean saturated();

    /** The JVM's own virtual-thread scheduler, read through its management interface (JDK 24+). */
    static CarrierBacklog ofJvm() {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        if (scheduler == null) {
            return NONE;
        }
        return () -> scheduler.getQueuedVirtualThreadCount() > (long) QUEUED_PER_CARRIER * scheduler.getParallelism();
    }
}
