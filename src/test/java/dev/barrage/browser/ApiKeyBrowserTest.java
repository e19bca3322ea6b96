package dev.barrage.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import dev.barrage.support.Browser;
import dev.barrage.support.CountingTarget;
import dev.barrage.support.LiveBarrage;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * With barrage.security.api-key set, the UI asks for the key once, keeps it for the browser session,
 * and shows and starts nothing without it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "barrage.security.api-key=" + ApiKeyBrowserTest.KEY)
class ApiKeyBrowserTest {

    static final String KEY = "browser-s3cret";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    final LiveBarrage live = new LiveBarrage(KEY);

    private Browser browser;
    private BarrageApi barrage;
    private CountingTarget target;

    @BeforeEach
    void start() throws Exception {
        browser = live.closeAfterTest(Browser.start());
        barrage = live.api();
        target = live.target();
    }

    @Test
    void theUiAsksForTheKeyOnceRefusesAWrongOneAndThenWorks() throws Exception {
        browser.open(base() + "/");
        awaitKeyDialog();
        assertThat(browser.find("#api-key-dialog .key-refused").isDisplayed()).isFalse();

        browser.fill("#api-key-input", "not-the-key");
        browser.find("#api-key-submit").click();
        browser.await("the refusal", LIMIT, () -> browser.find("#api-key-dialog .key-refused").isDisplayed());

        browser.fill("#api-key-input", KEY);
        browser.find("#api-key-submit").click();
        browser.await("the dialog closed", LIMIT, () -> !dialogOpen());
        browser.await("the run list", LIMIT, () -> browser.find("#runs-empty").isDisplayed() || !browser.findAll("#runs tr[data-id]").isEmpty());
        assertThat(browser.<String>script("return sessionStorage.getItem('barrage.apiKey')")).isEqualTo(KEY);

        browser.await("the examples", LIMIT, () -> browser.findAll("#f-example option").size() == 4);
        browser.fill("#f-url", target.url());
        browser.fill("#f-concurrency", "1");
        browser.fill("#f-duration", "2s");
        browser.find("#start-test").click();
        browser.await("the run page", LIMIT, () -> browser.driver().getCurrentUrl().contains("/runs/"));
        browser.await("the end of the run", LIMIT, () -> Boolean.TRUE.equals(browser.script("return window.barrageRun && barrageRun.ended")));
        assertThat(dialogOpen()).isFalse(); // the key was asked for once, on the first page
        String url = browser.driver().getCurrentUrl();
        JsonNode run = barrage.getJson("/tests/" + url.substring(url.lastIndexOf('/') + 1));
        assertThat(run.at("/summary/requests").asLong()).isEqualTo(target.received()).isPositive();
        assertThat(browser.<Long>script("return barrageCharts.throughput.data[0].length")).isPositive();

        browser.find("#download-report").click();
        assertThat(browser.awaitDownload("barrage-" + run.get("id").asString() + ".html", LIMIT)).isRegularFile();
    }

    @Test
    void withoutTheKeyNothingIsShownOrStarted() throws Exception {
        String id = barrage.start(BarrageApi.closed(target.url(), 1, "1s"));
        barrage.awaitEnd(id, LIMIT);
        long sent = target.received();
        int runs = barrage.getJson("/tests?limit=1000").size();

        browser.open(base() + "/runs/" + id);
        awaitKeyDialog();
        browser.find("#api-key-dialog .key-cancel").click();
        browser.await("the message", LIMIT, () -> browser.find("#message").isDisplayed());
        assertThat(browser.find("#message").getText()).contains("API key");
        assertThat(browser.find("#main").getText()).doesNotContain(id);

        browser.open(base() + "/");
        awaitKeyDialog();
        browser.find("#api-key-dialog .key-cancel").click();
        assertThat(browser.findAll("#runs tr[data-id]")).isEmpty();
        browser.await("the examples", LIMIT, () -> browser.findAll("#f-example option").size() == 4);
        browser.fill("#f-url", target.url());
        browser.find("#start-test").click();
        awaitKeyDialog(); // starting asks for the key too
        browser.find("#api-key-dialog .key-cancel").click();
        browser.await("the refusal under the editor", LIMIT, () -> browser.find("#definition-errors").isDisplayed());
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base() + "/");
        assertThat(target.received()).isEqualTo(sent);
        assertThat(barrage.getJson("/tests?limit=1000").size()).isEqualTo(runs);
    }

    private void awaitKeyDialog() {
        browser.await("the key dialog", LIMIT, this::dialogOpen);
    }

    private boolean dialogOpen() {
        return Boolean.TRUE.equals(browser.script("const d = document.getElementById('api-key-dialog'); return !!(d && d.open)"));
    }

    private String base() {
        return live.base();
    }
}
