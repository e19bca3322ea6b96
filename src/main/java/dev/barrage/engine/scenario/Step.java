package dev.barrage.engine.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a scenario: a request with its captures and checks, or a pause ({@code think}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param index        the request step's number among all request steps of the test (0-based),
 *                     where its figures are recorded; -1 for a pause
 * @param target       which of the test's targets (scheme, host, port) the request goes to
 * @param timeoutNanos the request's deadline for the whole exchange
 * @param head         the request is a HEAD, so its response has no body
 * @param request      the request's template; null for a pause, and for a single-request test's one step
 *                     (its session sends the request it was made for)
 * @param thinkNanos   the pause's length; 0 for a request step
 */
public record Step(String name, int index, int target, RequestTemplate request, long timeoutNanos, boolean head,
                   List<Capture> captures, List<Check> checks, long thinkNanos,
                   boolean readsBody, String[] headersRead, byte[][] headerNameBytes) {

    /** Headers one step may capture or check, together. */
    public static final int MAX_HEADERS_READ = 20;

    public static Step request(String name, int index, int target, RequestTemplate request, long timeoutNanos, boolean head,
                               List<Capture> captures, List<Check> checks) {
        boolean readsBody = captures.stream().anyMatch(Capture::readsBody) || checks.stream().anyMatch(Check::readsBody);
        List<String> headers = new ArrayList<>();
        captures.stream().map(Capture::header).filter(h -> h != null && !headers.contains(h)).forEach(headers::add);
        checks.stream().map(Check::header).filter(h -> h != null && !headers.contains(h)).forEach(headers::add);
        if (headers.size() > MAX_HEADERS_READ) {
            throw new IllegalArgumentException("a step may read at most " + MAX_HEADERS_READ + " different headers");
        }
        byte[][] nameBytes = headers.stream().map(h -> h.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        return new Step(name, index, target, request, timeoutNanos, head, List.copyOf(captures), List.copyOf(checks), 0,
                readsBody && !head, headers.toArray(String[]::new), nameBytes);
    }

    public static Step think(long nanos) {
        return new Step("think", -1, -1, null, 0, false, List.of(), List.of(), nanos, false, new String[0], new byte[0][]);
    }

    public boolean isThink() {
        return thinkNanos > 0;
    }

    /** A single-request test's step: it sends the request its session was made with, encoded once. */
    public boolean sendsSessionRequest() {
        return request == null && thinkNanos == 0;
    }

    /** Whether the response must be shown to the step at all (headers or body). */
    boolean readsResponse() {
        return readsBody || headersRead.length > 0;
    }
}
