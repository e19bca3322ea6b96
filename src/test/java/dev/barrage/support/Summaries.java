package dev.barrage.support;

import tools.jackson.databind.JsonNode;

/** Checks on a run's {@code summary} as GET /tests/{id} answers it. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * Fails unless every request the summary counts is filed exactly once: under the status code
     * it was answered with or under the error kind it failed with. ({@code requests == successes +
     * failures} would prove nothing: the service computes failures as requests minus successes.)
     */
    public static void assertCountsAddUp(JsonNode summary) {
        String problem = countsProblem(summary);
        if (problem != null) {
            throw new AssertionError(problem);
        }
    }

    /** What {@link #assertCountsAddUp} would fail with, or null when the counts add up. */
    public static String countsProblem(JsonNode summary) {
        if (summary == null || !summary.path("requests").isIntegralNumber() || !summary.path("statusCodes").isObject()
                || !summary.path("errors").isObject()) {
            return "a summary needs requests, statusCodes and errors: " + summary;
        }
        long byStatus = sum(summary.get("statusCodes"));
        long byError = sum(summary.get("errors"));
        long requests = summary.get("requests").asLong();
        if (byStatus + byError != requests) {
            return "statusCodes (" + byStatus + ") + errors (" + byError + ") = " + (byStatus + byError)
                    + ", not requests (" + requests + "): " + summary;
        }
        return null;
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode count : counts) {
            sum += count.asLong();
        }
        return sum;
    }
}
