package dev.barrage.cluster;

import java.time.Duration;

/**
 * The pace of distributed runs: how far ahead the common start is set once every generator has
 * prepared, and how long a generator may ship nothing (it ships every second) before it is lost.
 */
public record ClusterTiming(Duration startLead, Duration silenceLimit) {

    static final Duration MIN_START_LEAD = Duration.ofMillis(100);
    static final Duration MAX_START_LEAD = Duration.ofMinutes(1);
    /** Shipments come every second; a shorter limit would call a node lost for one slow second. */
    static final Duration MIN_SILENCE_LIMIT = Duration.ofSeconds(3);
    static final Duration MAX_SILENCE_LIMIT = Duration.ofMinutes(10);

    public ClusterTiming {
        check("barrage.cluster.start-lead", startLead, MIN_START_LEAD, MAX_START_LEAD,
                "the start message must reach every generator before the start");
        check("barrage.cluster.silence-limit", silenceLimit, MIN_SILENCE_LIMIT, MAX_SILENCE_LIMIT,
                "generators ship every second, and one slow second must not make a node lost");
    }

    private static void check(String name, Duration value, Duration min, Duration max, String why) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min.toMillis() + " ms and " + max.toSeconds()
                    + " s (" + why + "); it is " + (value == null ? "not set" : value.toMillis() + " ms"));
        }
    }
}
