package dev.barrage.warmup;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Function;

/**
 * How many requests the warm-up sends of each model, since the compilers were last busy, before it
 * ends: twice the calls after which HotSpot hands a method from C1's profiling code to its optimising
 * compiler (C2), {@code Tier4InvocationThreshold}: 5,000 by default, and already multiplied by {@code
 * -XX:CompileThresholdScaling} when the command line sets one (HotSpot scales the option itself at
 * start-up). A method with profiling code that is called once per request then crosses the threshold
 * within them even where the threshold is raised, up to twice (HotSpot raises it while C2's queue is
 * long, which it is not once the compilers are no longer busy).
 *
 * <p>Thread-safety: stateless.
 */
public final class JitThresholds {

    /** HotSpot's default Tier4InvocationThreshold, for a JVM that does not tell. */
    static final long DEFAULT_TIER4_INVOCATIONS = 5_000;

    private JitThresholds() {
    }

    /** The floor for this JVM, from its own options. */
    public static long requestsPerModel() {
        return requestsPerModel(JitThresholds::vmOption);
    }

    /** @param vmOption an option's value as HotSpot prints it, or null when the JVM does not have it */
    static long requestsPerModel(Function<String, String> vmOption) {
        return 2 * parse(vmOption.apply("Tier4InvocationThreshold"));
    }

    private static long parse(String value) {
        try {
            long parsed = value == null ? DEFAULT_TIER4_INVOCATIONS : Long.parseLong(value.strip());
            return parsed < 0 ? DEFAULT_TIER4_INVOCATIONS : Math.min(parsed, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            return DEFAULT_TIER4_INVOCATIONS;
        }
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError notHotSpot) {
            return null;
        }
    }
}
