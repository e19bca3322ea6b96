package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.barrage.runs.HostCpu.CpuTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the kernel's CPU time and the stolen share of it between two readings. */
class HostCpuTest {

    @Test
    void theFirstLineOfProcStatGivesTheTotalOfItsFirstEightColumnsAndTheStealColumn() {
        // guest and guest_nice (the last two) are already counted in user and nice
        CpuTimes times = CpuTimes.parse("cpu  3771029 9082 1030212 9504619 5199 0 336953 556278 7 9");

        assertThat(times).isEqualTo(new CpuTimes(3771029L + 9082 + 1030212 + 9504619 + 5199 + 0 + 336953 + 556278, 556278));
    }

    @Test
    void aLineWithoutAStealColumnOrNotTheCpuTotalOrNotNumbersSaysNothing() {
        assertThat(CpuTimes.parse("cpu  3771029 9082 1030212 9504619 5199 0 336953")).isNull();
        assertThat(CpuTimes.parse("cpu0 1541731 4173 474397 5150188 3282 0 137894 299627 0 0")).isNull();
        assertThat(CpuTimes.parse("cpu  1 2 3 4 5 6 x 8")).isNull();
        assertThat(CpuTimes.parse("cpu  1 2 3 4 5 6 -7 8")).isNull();
        assertThat(CpuTimes.parse("")).isNull();
    }

    @Test
    void theStolenShareIsTheStealOfTheTimeBetweenTwoReadings() {
        CpuTimes start = new CpuTimes(10_000, 500);

        assertThat(new CpuTimes(11_000, 800).stealShareSince(start)).isCloseTo(0.3, within(1e-12));
        assertThat(new CpuTimes(11_000, 500).stealShareSince(start)).isZero();
    }

    @Test
    void noTimeBetweenReadingsACounterGoingBackOrAnUnknownStartGiveNoShare() {
        CpuTimes start = new CpuTimes(10_000, 500);

        assertThat(start.stealShareSince(start)).isNull();
        assertThat(new CpuTimes(9_000, 600).stealShareSince(start)).isNull();
        assertThat(new CpuTimes(11_000, 400).stealShareSince(start)).isNull();
        assertThat(new CpuTimes(11_000, 600).stealShareSince(null)).isNull();
    }

    @Test
    void aFileIsReadByItsFirstLineAndAMissingOneSaysNothing(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  10 0 10 70 0 0 0 10 0 0\ncpu0 10 0 10 70 0 0 0 10 0 0\nintr 1\n");

        assertThat(CpuTimes.readProcStat(stat)).isEqualTo(new CpuTimes(100, 10));
        assertThat(CpuTimes.readProcStat(dir.resolve("absent"))).isNull();
    }

    @Test
    void onLinuxTheMachinesOwnCountIsReadAndMovesOn() throws Exception {
        CpuTimes first = HostCpu.PROC_STAT.now();
        assertThat(first).as("/proc/stat on this Linux machine").isNotNull();
        long deadline = System.nanoTime() + 5_000_000_000L;
        CpuTimes later = first;
        while (later.total() == first.total() && System.nanoTime() < deadline) {
            Thread.sleep(20); // the kernel counts in clock ticks of 10 ms
            later = HostCpu.PROC_STAT.now();
        }
        assertThat(later.stealShareSince(first)).isBetween(0.0, 1.0);
    }

    @Test
    void aMachineGivesTheShareSinceAReadingAtStartOrNothingWhenItCannotSay() {
        HostCpu machine = () -> new HostCpu.CpuTimes(12_000, 1_600);

        assertThat(machine.stealShareSince(new HostCpu.CpuTimes(10_000, 1_000))).isEqualTo(0.3);
        assertThat(machine.stealShareSince(null)).isNull();
        assertThat(HostCpu.NONE.stealShareSince(new HostCpu.CpuTimes(10_000, 1_000))).isNull();
    }
}
