package dev.barrage.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The live service of a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} test, as every
 * end-to-end test uses it: a client on its port (sending an API key when given), no run left
 * unfinished before or after each test (test classes share the application context), and the
 * in-test targets closed after it. Register it as an instance field:
 * {@code @RegisterExtension final LiveBarrage live = new LiveBarrage();}
 *
 * <p>Thread-safety: confined to the test thread.
 */
public final class LiveBarrage implements BeforeEachCallback, AfterEachCallback {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final String apiKey;
    private final List<AutoCloseable> closeAfterTest = new ArrayList<>();
    private BarrageApi api;
    private int port;

    public LiveBarrage() {
        this(null);
    }

    /** @param apiKey sent as {@code Authorization: Bearer} with every call (null: none) */
    public LiveBarrage(String apiKey) {
        this.apiKey = apiKey;
    }

    public BarrageApi api() {
        return api;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, the service's base address. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A target answering 200 "ok", closed after the test. */
    public CountingTarget target() throws IOException {
        return closeAfterTest(new CountingTarget(200, "ok"));
    }

    /** Closes {@code resource} (a target the test made) after the test; answers it. */
    public <T extends AutoCloseable> T closeAfterTest(T resource) {
        closeAfterTest.add(resource);
        return resource;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        port = Integer.parseInt(SpringExtension.getApplicationContext(context).getEnvironment()
                .getRequiredProperty("local.server.port"));
        api = new BarrageApi(port, apiKey);
        api.cancelUnfinishedRuns(SETTLE);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            api.cancelUnfinishedRuns(SETTLE);
        } finally {
            for (AutoCloseable resource : closeAfterTest.reversed()) {
                resource.close();
            }
            closeAfterTest.clear();
        }
    }
}
