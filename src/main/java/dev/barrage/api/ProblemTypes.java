package dev.barrage.api;

import java.net.URI;
import org.springframework.http.HttpStatusCode;

/** The stable {@code type} URIs of Barrage's problem details; clients may switch on them. */
final class ProblemTypes {

    private static final String BASE = "https://barrage.dev/problems/";

    static final URI INVALID_DEFINITION = URI.create(BASE + "invalid-definition");
    static final URI MALFORMED_JSON = URI.create(BASE + "malformed-json");
    static final URI INVALID_PARAMETER = URI.create(BASE + "invalid-parameter");
    static final URI RUN_NOT_FOUND = URI.create(BASE + "run-not-found");
    static final URI RUN_ALREADY_FINISHED = URI.create(BASE + "run-already-finished");
    static final URI RUN_NOT_FINISHED = URI.create(BASE + "run-not-finished");
    static final URI TARGET_NOT_ALLOWED = URI.create(BASE + "target-not-allowed");
    static final URI QUEUE_FULL = URI.create(BASE + "queue-full");
    static final URI TOO_MANY_STREAMS = URI.create(BASE + "too-many-streams");
    static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

    private ProblemTypes() {
    }

    /** For errors the framework raises (unknown path, wrong method or media type, ...). */
    static URI forStatus(HttpStatusCode status) {
        String slug = switch (status.value()) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> status.is5xxServerError() ? "internal-error" : "http-" + status.value();
        };
        return URI.create(BASE + slug);
    }
}
