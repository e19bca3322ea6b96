package dev.barrage.cluster;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * One change to a {@link RunRecord}, applied where the entry lives, atomically with any other change
 * to it (an entry processor): the start instant, a cancel, a generator lost, a new coordinator.
 * Answers the record as it is after the change (null when the run is not in the cluster any more).
 *
 * <p>Immutable; runs on a partition thread of the member that owns the entry.
 */
final class RecordUpdate implements EntryProcessor<String, RunRecord, RunRecord> {

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { START, CANCEL, FAIL_BEFORE_START, LOSE, LOSE_UNLESS_STOPPED, ADOPT }

    private final Kind kind;
    private final long number;
    private final int generator;
    private final boolean flag;
    private final String text;
    private final String address;

    private RecordUpdate(Kind kind, long number, int generator, boolean flag, String text, String address) {
        this.kind = kind;
        this.number = number;
        this.generator = generator;
        this.flag = flag;
        this.text = text;
        this.address = address;
    }

    /** Sets the common start instant, unless the run failed or was cancelled meanwhile. */
    static RecordUpdate startAt(long clusterMillis) {
        return new RecordUpdate(Kind.START, clusterMillis, 0, false, null, null);
    }

    static RecordUpdate cancel() {
        return new RecordUpdate(Kind.CANCEL, 0, 0, false, null, null);
    }

    static RecordUpdate failBeforeStart(String reason) {
        return new RecordUpdate(Kind.FAIL_BEFORE_START, 0, 0, false, reason, null);
    }

    /** Generator {@code generator} left; its messages up to {@code lastMessage} count. */
    static RecordUpdate lose(int generator, long lastMessage, boolean abort) {
        return new RecordUpdate(Kind.LOSE, lastMessage, generator, abort, null, null);
    }

    /**
     * Generator {@code generator} ended its share early on its own, unless the run was aborted or
     * cancelled meanwhile: then its share was stopped on purpose, and it is not lost. Decided here,
     * atomically, because the coordinator's copy of the record may predate the abort.
     */
    static RecordUpdate loseUnlessStopped(int generator, long lastMessage, boolean abort) {
        return new RecordUpdate(Kind.LOSE_UNLESS_STOPPED, lastMessage, generator, abort, null, null);
    }

    static RecordUpdate adopt(String uuid, String address) {
        return new RecordUpdate(Kind.ADOPT, 0, 0, false, uuid, address);
    }

    @Override
    public RunRecord process(Map.Entry<String, RunRecord> entry) {
        RunRecord record = entry.getValue();
        if (record == null) {
            return null;
        }
        RunRecord changed = switch (kind) {
            case START -> record.startAtClusterMillis() != 0 || record.failedBeforeStart() != null || record.cancelRequested()
                    ? record : record.startingAt(number);
            case CANCEL -> record.cancelled();
            case FAIL_BEFORE_START -> record.failedBeforeStart(text);
            case LOSE -> record.withLost(generator, number, flag);
            case LOSE_UNLESS_STOPPED -> record.aborted() || record.cancelRequested() ? record : record.withLost(generator, number, flag);
            case ADOPT -> record.coordinatedBy(text, address);
        };
        if (changed != record) {
            entry.setValue(changed);
        }
        return changed;
    }
}
