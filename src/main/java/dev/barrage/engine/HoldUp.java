package dev.barrage.engine;

import dev.barrage.engine.recording.RunRecorder;

/**
 * Why an open-model hit did not start when it was due, and how its lateness is counted. Both open
 * models apply these rules ({@link OpenModelRun}'s dispatcher and workers, the event loops'
 * {@link OpenLoopShare}), so {@code delayed}, {@code connectDelayed} and the scheduler lag mean the
 * same whichever runs a test.
 *
 * <p>Immutable.
 */
enum HoldUp {
    /** Nothing held it: any lateness is the generator's own (scheduler lag). */
    NONE,
    /** Every allowed connection was busy: counted as {@code delayed}. */
    MAX_CONCURRENCY,
    /** New connections were still being set up: counted as {@code connectDelayed}. */
    CONNECTING,
    /**
     * Threads only: every worker was busy while the carriers were behind, so the hit waited for a
     * worker rather than a new connection; that lateness is the generator's own.
     */
    BUSY_CARRIERS;

    /** At most this many connections of one run are being set up at once. */
    static final int MAX_PARALLEL_CONNECTS = 8;
    /** Later than this, a hit counts as held back (when something held it) or as scheduler lag. */
    static final long LATE_NANOS = 1_000_000;

    /** The pool a hit waits for: whether it is at one of its limits now. */
    interface Pool {
        boolean atMaxConcurrency();

        boolean atMaxConnects();
    }

    /** Whether a hit that waited for this got a new connection because of it: its first request waited for connects. */
    boolean waitedForConnects() {
        return this == MAX_CONCURRENCY || this == CONNECTING;
    }

    /**
     * Counts a hit that starts {@code lateNanos} after it was due under what held it back: what it
     * waited for ({@code waitedFor}), or, when a connection took it at once, a limit the pool is at
     * (that connection only just came free). True when something held it back, so its lateness is
     * not scheduler lag.
     */
    static boolean countLate(RunRecorder recorder, long lateNanos, HoldUp waitedFor, Pool pool) {
        HoldUp cause = lateNanos > LATE_NANOS ? causeOf(waitedFor, pool) : NONE;
        switch (cause) {
            case MAX_CONCURRENCY -> recorder.requestDelayed();
            case CONNECTING -> recorder.requestConnectDelayed(lateNanos);
            case NONE, BUSY_CARRIERS -> { } // on time, or the generator's own lateness
        }
        return cause == MAX_CONCURRENCY || cause == CONNECTING;
    }

    /**
     * Counts the first hit of a new connection, established at {@code connected} after a connect
     * begun at {@code connectStart}: it waited for this connect, and perhaps for others' before it.
     * True when that held it back.
     */
    static boolean countFirstHit(RunRecorder recorder, long due, long connectStart, long connected,
                                 boolean waitedForConnects) {
        boolean heldBack = connected - due > LATE_NANOS && (waitedForConnects || connected - connectStart > LATE_NANOS);
        if (heldBack) {
            recorder.requestConnectDelayed(connected - due);
        }
        return heldBack;
    }

    private static HoldUp causeOf(HoldUp waitedFor, Pool pool) {
        if (waitedFor == BUSY_CARRIERS) {
            return NONE;
        }
        if (waitedFor != NONE) {
            return waitedFor;
        }
        if (pool.atMaxConcurrency()) {
            return MAX_CONCURRENCY;
        }
        return pool.atMaxConnects() ? CONNECTING : NONE;
    }
}
