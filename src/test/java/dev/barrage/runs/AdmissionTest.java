package dev.barrage.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final Admission admission = new Admission(1, 3);

    @Test
    void runsWaitByPriorityThenArrivalAndTakeFreedSlotsInThatOrder() {
        Run first = run("first", Priority.LOW);
        Run low = run("low", Priority.LOW);
        Run normal = run("normal", Priority.NORMAL);
        Run high = run("high", Priority.HIGH);

        assertThat(admission.admit(first, null)).isEqualTo(Admission.Decision.START);
        assertThat(admission.admit(low, null)).isEqualTo(Admission.Decision.QUEUED);
        assertThat(admission.admit(normal, null)).isEqualTo(Admission.Decision.QUEUED);
        assertThat(admission.admit(high, null)).isEqualTo(Admission.Decision.QUEUED);

        assertThat(admission.positionOf(high)).contains(1);
        assertThat(admission.positionOf(normal)).contains(2);
        assertThat(admission.positionOf(low)).contains(3);
        assertThat(admission.positionOf(first)).isEmpty();

        assertThat(admission.release(first).map(waiting -> waiting.run())).contains(high);
        assertThat(admission.release(high).map(waiting -> waiting.run())).contains(normal);
        assertThat(admission.positionOf(low)).contains(1);
    }

    @Test
    void beyondMaxQueuedARunIsRefused() {
        admission.admit(run("running", Priority.NORMAL), null);
        for (int i = 0; i < 3; i++) {
            assertThat(admission.admit(run("waiting" + i, Priority.NORMAL), null)).isEqualTo(Admission.Decision.QUEUED);
        }

        assertThat(admission.admit(run("one too many", Priority.HIGH), null)).isEqualTo(Admission.Decision.FULL);
    }

    @Test
    void aWithdrawnRunLeavesTheQueueAndAReleaseOfAnUnknownRunChangesNothing() {
        Run running = run("running", Priority.NORMAL);
        Run waiting = run("waiting", Priority.NORMAL);
        admission.admit(running, null);
        admission.admit(waiting, null);

        assertThat(admission.withdraw(waiting)).isTrue();
        assertThat(admission.withdraw(waiting)).isFalse();
        assertThat(admission.release(waiting)).isEqualTo(Optional.empty());
        assertThat(admission.release(running)).isEmpty();
        assertThat(admission.running()).isEmpty();
        assertThat(admission.admit(waiting, null)).isEqualTo(Admission.Decision.START);
    }

    @Test
    void whileHeldEveryRunWaitsAndOpeningStartsAsManyAsThereAreSlotsInQueueOrder() {
        Admission twoSlots = new Admission(2, 3);
        twoSlots.hold();
        Run low = run("low", Priority.LOW);
        Run normal = run("normal", Priority.NORMAL);
        Run high = run("high", Priority.HIGH);

        assertThat(twoSlots.admit(low, null)).isEqualTo(Admission.Decision.QUEUED);
        assertThat(twoSlots.admit(normal, null)).isEqualTo(Admission.Decision.QUEUED);
        assertThat(twoSlots.admit(high, null)).isEqualTo(Admission.Decision.QUEUED);
        assertThat(twoSlots.admit(run("fourth", Priority.HIGH), null)).isEqualTo(Admission.Decision.FULL);
        assertThat(twoSlots.held()).isTrue();
        assertThat(twoSlots.running()).isEmpty();

        assertThat(twoSlots.open()).extracting(Admission.Waiting::run).containsExactly(high, normal);
        assertThat(twoSlots.held()).isFalse();
        assertThat(twoSlots.running()).containsExactlyInAnyOrder(high, normal);
        assertThat(twoSlots.positionOf(low)).contains(1);
        assertThat(twoSlots.release(high).map(Admission.Waiting::run)).contains(low);
    }

    @Test
    void whileHeldAFreedSlotStaysFreeButADistributedShareStillTakesOne() {
        Run running = run("running", Priority.NORMAL);
        Run waiting = run("waiting", Priority.NORMAL);
        Run share = run("share", Priority.NORMAL);
        admission.admit(running, null);
        admission.hold();
        admission.admit(waiting, null);

        assertThat(admission.release(running)).isEmpty();
        assertThat(admission.running()).isEmpty();
        assertThat(admission.admitNow(share)).isTrue();
        assertThat(admission.open()).isEmpty(); // the share holds the one slot
        assertThat(admission.release(share).map(Admission.Waiting::run)).contains(waiting);
    }

    private static Run run(String name, Priority priority) {
        TestDefinition definition = new TestDefinition(name,
                new RequestDefinition(null, "http://127.0.0.1:9/", null, null, null, null, null),
                new WorkloadDefinition(WorkloadModel.CLOSED, 1, null, java.time.Duration.ofSeconds(1), null, null, null),
                null, null, priority);
        return new Run(name, definition.withDefaults(), java.time.Instant.EPOCH);
    }
}
