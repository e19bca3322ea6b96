package dev.barrage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordUpdateTest {

    private static RunRecord running() {
        return new RunRecord("run", "{}", 0, "u1", "127.0.0.1:1", List.of("u1", "u2", "u3"),
                List.of("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"), 1_000, false, null, Map.of(), false);
    }

    private static RunRecord apply(RecordUpdate update, RunRecord record) {
        return update.process(new SimpleEntry<>(record.id(), record));
    }

    @Test
    void aGeneratorThatStoppedEarlyInARunningRunIsLostAfterItsLastMessage() {
        RunRecord after = apply(RecordUpdate.loseUnlessStopped(2, 5, true), running());

        assertThat(after.lost()).containsExactly(Map.entry(2, 5L));
        assertThat(after.aborted()).isTrue();
    }

    @Test
    void aGeneratorStoppedByAnAbortThatThePollerDidNotSeeYetIsNotLost() {
        RunRecord aborted = apply(RecordUpdate.lose(3, 2, true), running()); // another generator left: abort

        RunRecord after = apply(RecordUpdate.loseUnlessStopped(2, 2, true), aborted);

        assertThat(after.lost()).containsOnlyKeys(3);
    }

    @Test
    void aGeneratorStoppedByACancelIsNotLost() {
        RunRecord cancelled = apply(RecordUpdate.cancel(), running());

        RunRecord after = apply(RecordUpdate.loseUnlessStopped(2, 2, false), cancelled);

        assertThat(after.lost()).isEmpty();
    }

    @Test
    void aGeneratorThatLeftIsLostEvenInAnAbortedRun() {
        RunRecord aborted = apply(RecordUpdate.lose(3, 2, true), running());

        RunRecord after = apply(RecordUpdate.lose(1, 4, true), aborted);

        assertThat(after.lost()).containsOnlyKeys(1, 3);
    }
}
