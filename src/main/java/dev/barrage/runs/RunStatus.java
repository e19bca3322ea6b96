package dev.barrage.runs;

/** QUEUED → RUNNING → COMPLETED | CANCELLED | FAILED; a QUEUED run may also go straight to CANCELLED. */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETED, CANCELLED, FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }
}
