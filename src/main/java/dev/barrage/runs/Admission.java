package dev.barrage.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Which runs may apply load now: at most {@code maxRunning} at once; the others wait, HIGH before
 * NORMAL before LOW and first come first served within a priority, up to {@code maxQueued}.
 *
 * <p>Thread-safety: all methods synchronize on the admission; they are short and off the hot path.
 */
final class Admission {

    enum Decision { START, QUEUED, FULL }

    /** A run waiting for a slot, with what was prepared for it at submission. */
    record Waiting(Run run, PreparedLoad load, long arrival) {
    }

    private static final Comparator<Waiting> ORDER = Comparator
            .comparing((Waiting waiting) -> waiting.run().definition().priority())
            .thenComparingLong(Waiting::arrival);

    private final int maxRunning;
    private final int maxQueued;
    private final PriorityQueue<Waiting> queue = new PriorityQueue<>(ORDER);
    private final Set<Run> running = new LinkedHashSet<>();
    private long arrivals;
    private boolean held;

    Admission(int maxRunning, int maxQueued) {
        this.maxRunning = maxRunning;
        this.maxQueued = maxQueued;
    }

    synchronized Decision admit(Run run, PreparedLoad load) {
        if (!held && running.size() < maxRunning && queue.isEmpty()) {
            running.add(run);
            return Decision.START;
        }
        if (queue.size() < maxQueued) {
            queue.add(new Waiting(run, load, arrivals++));
            return Decision.QUEUED;
        }
        return Decision.FULL;
    }

    /**
     * Takes a running slot for a distributed run's share at once, ahead of the queue (its other
     * generators are waiting for it); false when every slot is taken. True when it holds one already.
     */
    synchronized boolean admitNow(Run run) {
        if (running.contains(run)) {
            return true;
        }
        if (running.size() < maxRunning) {
            running.add(run);
            return true;
        }
        return false;
    }

    /** From now on every run waits in the queue, whatever slots are free, until {@link #open()}. */
    synchronized void hold() {
        held = true;
    }

    synchronized boolean held() {
        return held;
    }

    /** Ends a {@link #hold()}: answers the waiting runs that take the free slots, in queue order. */
    synchronized List<Waiting> open() {
        held = false;
        List<Waiting> starting = new ArrayList<>();
        while (running.size() < maxRunning && !queue.isEmpty()) {
            Waiting next = queue.poll();
            running.add(next.run());
            starting.add(next);
        }
        return starting;
    }

    /** A running run ended: frees its slot and answers the waiting run that takes it, if any. */
    synchronized Optional<Waiting> release(Run ended) {
        if (!running.remove(ended) || held || queue.isEmpty()) {
            return Optional.empty();
        }
        Waiting next = queue.poll();
        running.add(next.run());
        return Optional.of(next);
    }

    /** Takes a waiting run out of the queue; false when it is not waiting (any more). */
    synchronized boolean withdraw(Run run) {
        return queue.removeIf(waiting -> waiting.run() == run);
    }

    /** 1 for the run that starts next, or empty when the run is not waiting. */
    synchronized Optional<Integer> positionOf(Run run) {
        List<Waiting> inOrder = new ArrayList<>(queue);
        inOrder.sort(ORDER);
        for (int i = 0; i < inOrder.size(); i++) {
            if (inOrder.get(i).run() == run) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    synchronized List<Run> running() {
        return List.copyOf(running);
    }

    synchronized List<Run> waiting() {
        return queue.stream().map(Waiting::run).toList();
    }
}
