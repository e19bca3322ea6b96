package dev.barrage.engine.scenario;

import dev.barrage.engine.recording.RunRecorder;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.ResponseListener;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one virtual user carries through its iterations: its number, the iteration's data row and
 * captures, its cookies, its randomness, and the buffers its requests are encoded into and its
 * responses read into (reused, so a request costs no allocation beyond what a template emits).
 *
 * <p>Thread-safety: confined to the virtual user's thread.
 */
public final class UserState implements Template.Values {

    private final ScenarioPlan plan;
    private final int vu;
    private final SplittableRandom random;
    private final String[] captures;
    private final CookieJar cookies;
    // made on first use: a single-request test's 10,000 users need none of them
    private ResponseCapture response;
    private ByteBuilder request;
    private ByteBuilder bodyScratch;
    private long iteration;
    private String[] row;
    private byte[] requestBytes;
    private int requestLength;

    /** @param seed the user's own randomness, so two users draw different sequences */
    public UserState(ScenarioPlan plan, int vu, long seed) {
        this.plan = plan;
        this.vu = vu;
        this.random = new SplittableRandom(seed);
        this.captures = new String[plan.captureCount()];
        this.cookies = plan.cookies() ? new CookieJar(plan.targets()) : null;
    }

    /**
     * Begins iteration {@code n} (numbered across the whole run) and returns the scenario it runs.
     *
     * @param freshCookies whether the iteration starts without cookies (the open model's iterations are
     *                     independent visitors; a closed-model user keeps its cookies)
     */
    public Scenario startIteration(long n, boolean freshCookies) {
        iteration = n;
        if (captures.length > 0) {
            Arrays.fill(captures, null);
        }
        if (plan.data() != null) {
            row = plan.data().rowFor(n, random);
        }
        if (freshCookies && cookies != null) {
            cookies.clear();
        }
        List<Scenario> scenarios = plan.scenarios();
        return scenarios.size() == 1 ? scenarios.getFirst() : scenarios.get(plan.cycle().scenarioOf(n));
    }

    /**
     * Encodes the step's request; then {@link #requestBytes()} and {@link #requestLength()} hold it.
     *
     * @return false when a capture it uses was not made in this iteration (the iteration cannot go on)
     */
    public boolean prepare(Step step) {
        RequestTemplate template = step.request();
        byte[] cookieHeader = cookies == null || !template.takesCookies() ? null : cookies.headerFor(step.target());
        byte[] literal = template.literal();
        if (literal != null && cookieHeader == null) {
            requestBytes = literal;
            requestLength = literal.length;
            return true;
        }
        if (request == null) {
            request = new ByteBuilder(512);
            bodyScratch = new ByteBuilder(256);
        }
        try {
            template.encode(this, cookieHeader, request, bodyScratch);
        } catch (Template.MissingCaptureException e) {
            return false;
        }
        requestBytes = request.array();
        requestLength = request.length();
        return true;
    }

    public byte[] requestBytes() {
        return requestBytes;
    }

    public int requestLength() {
        return requestLength;
    }

    /** Where the step's response is to be shown, or null when nothing reads it (discarded unseen). */
    public ResponseListener listenerFor(Step step) {
        if (cookies == null && !step.readsResponse()) {
            return null;
        }
        if (response == null) {
            response = new ResponseCapture(plan.maxBodyBytes());
        }
        response.begin(step, cookies);
        return response;
    }

    /**
     * Counts the step's checks and makes its captures.
     *
     * @return false when a capture found nothing: the iteration ends here, as later steps would send garbage
     */
    public boolean judge(Step step, Exchange exchange, long latencyNanos, RunRecorder recorder) {
        int status = exchange.failed() ? -1 : exchange.status();
        List<Check> checks = step.checks();
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            recorder.checkEvaluated(check.index(), check.passes(status, response, latencyNanos));
        }
        List<Capture> stepCaptures = step.captures();
        boolean complete = true;
        for (int i = 0; i < stepCaptures.size(); i++) {
            Capture capture = stepCaptures.get(i);
            String value = status < 0 ? null : capture.extract(response);
            captures[capture.slot()] = value;
            recorder.checkEvaluated(capture.check(), value != null);
            complete &= value != null;
        }
        if (step.readsBody() && status >= 0 && response.bodyTooLarge()) {
            recorder.bodyTooLarge();
        }
        return complete;
    }

    @Override
    public String data(int field) {
        return row[field];
    }

    @Override
    public String capture(int index) {
        return captures[index];
    }

    @Override
    public int vu() {
        return vu;
    }

    @Override
    public long iteration() {
        return iteration;
    }

    @Override
    public SplittableRandom random() {
        return random;
    }

    @Override
    public long epochMillis() {
        return System.currentTimeMillis();
    }
}
