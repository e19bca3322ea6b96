package dev.barrage.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's CPU time as its kernel counts it, read at a run's start and end to say how much of it
 * the hypervisor gave to other machines meanwhile (steal). A generator on a virtual machine whose host
 * takes its CPU away cannot send on time, however idle it looks from inside; only the kernel's count
 * tells that apart from the generator's own lateness.
 *
 * <p>Thread-safety: implementations are stateless; {@link #now()} may be called from any thread.
 */
@FunctionalInterface
public interface HostCpu {

    /** Linux's count, the first line of {@code /proc/stat}. */
    HostCpu PROC_STAT = () -> CpuTimes.readProcStat(Path.of("/proc/stat"));

    /** A machine that does not say: nothing is reported. */
    HostCpu NONE = () -> null;

    /** The machine's CPU time so far, or null when it cannot be read. */
    CpuTimes now();

    /** The stolen share of the CPU time since {@code atStart} (read from this), 0..1; null when either is unknown. */
    default Double stealShareSince(CpuTimes atStart) {
        CpuTimes now = now();
        return now == null ? null : now.stealShareSince(atStart);
    }

    /**
     * All CPUs' time in clock ticks since boot, and the part of it stolen: time a virtual CPU wanted
     * to run while the hypervisor ran something else.
     */
    record CpuTimes(long total, long steal) {

        /** The stolen share of the CPU time from {@code earlier} to this, 0..1; null when no time passed or either is unknown. */
        public Double stealShareSince(CpuTimes earlier) {
            if (earlier == null || total <= earlier.total || steal < earlier.steal) {
                return null;
            }
            return (double) (steal - earlier.steal) / (total - earlier.total);
        }

        /**
         * Parses {@code cpu user nice system idle iowait irq softirq steal [guest guest_nice]}: the
         * total is the first eight (guest time is already part of user time); null without a steal column.
         */
        static CpuTimes parse(String firstLine) {
            String[] fields = firstLine.trim().split("\\s+");
            if (fields.length < 9 || !fields[0].equals("cpu")) {
                return null;
            }
            long total = 0;
            try {
                for (int i = 1; i <= 8; i++) {
                    long value = Long.parseLong(fields[i]);
                    if (value < 0) {
                        return null;
                    }
                    total += value;
                }
                return new CpuTimes(total, Long.parseLong(fields[8]));
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }

        static CpuTimes readProcStat(Path procStat) {
            try (var lines = Files.lines(procStat)) {
                return lines.findFirst().map(CpuTimes::parse).orElse(null);
            } catch (IOException | RuntimeException e) {
                return null; // not Linux, or /proc not mounted: nothing to say
            }
        }
    }
}
