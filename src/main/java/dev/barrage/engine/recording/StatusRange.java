package dev.barrage.engine.recording;

/** Inclusive range of HTTP status codes that count as success. */
public record StatusRange(int from, int to) {

    public static final StatusRange DEFAULT = new StatusRange(200, 399);

    public StatusRange {
        if (from > to) {
            throw new IllegalArgumentException("status range " + from + ".." + to + " is empty");
        }
    }

    public boolean contains(int status) {
        return status >= from && status <= to;
    }
}
