package dev.barrage.api;

import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web UI's pages: the run list and start form at /, a run at /runs/{id}, two runs at /compare.
 * They are static HTML whose scripts (static/ui/) read everything from the API, so an API key
 * guards the data, not the pages: a page opens and asks for the key.
 */
@RestController
@Hidden
class UiPages {

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8);

    /** What the start form offers to begin from. */
    record Example(String name, JsonNode definition) {
    }

    private final List<Example> examples;

    UiPages(JsonMapper json) {
        this.examples = List.of(
                new Example("closed model: 50 users for 10 s", json.readTree(ApiExamples.CLOSED_TEST)),
                new Example("open model: 500 requests/s for 60 s", json.readTree(ApiExamples.OPEN_TEST)),
                new Example("stages: ramp to 200 users", json.readTree(ApiExamples.STAGED_TEST)),
                new Example("scenarios: browse and buy in the demo shop", json.readTree(ApiExamples.SHOP_TEST)));
    }

    @GetMapping("/")
    ResponseEntity<Resource> home() {
        return page("index.html");
    }

    @GetMapping("/runs/{id}")
    ResponseEntity<Resource> run(@PathVariable String id) {
        return page("run.html"); // the page reads the run (and says when there is none) through the API
    }

    @GetMapping("/compare")
    ResponseEntity<Resource> compare() {
        return page("compare.html");
    }

    @GetMapping(path = "/ui/examples.json", produces = MediaType.APPLICATION_JSON_VALUE)
    List<Example> examples() {
        return examples;
    }

    private static ResponseEntity<Resource> page(String name) {
        return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noCache())
                .body(new ClassPathResource("static/ui/" + name));
    }
}
