package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A person who opens the service's address in a browser lands on the web UI, one click from the
 * interactive API documentation; the API document describes what a client sends and gets back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FrontDoorEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void theRootIsTheWebUiWithTheStartFormAndALinkToTheInteractiveApiDocumentation() throws Exception {
        BarrageApi barrage = new BarrageApi(port);

        HttpResponse<String> root = barrage.get("/");

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(root.body()).contains("id=\"start-form\"", "href=\"/swagger-ui.html\"");
        HttpResponse<String> documentation = barrage.getFollowingRedirects("/swagger-ui.html");
        assertThat(documentation.statusCode()).isEqualTo(200);
        assertThat(documentation.body()).containsIgnoringCase("swagger");
    }

    @Test
    void theApiDocumentHasAnAuthorizeButtonAndListsTheRefusalsOfASubmission() throws Exception {
        BarrageApi barrage = new BarrageApi(port);

        JsonNode document = barrage.getJson("/v3/api-docs");

        assertThat(document.at("/components/securitySchemes/apiKey/scheme").asString()).isEqualTo("bearer");
        JsonNode post = document.at("/paths/~1tests/post");
        assertThat(post.get("security").toString()).contains("apiKey");
        assertThat(post.get("responses").propertyNames()).contains("202", "400", "401", "403", "413", "429");
        assertThat(post.at("/responses/202").toString()).contains("PENDING");
    }

    @Test
    void everyFieldOfADefinitionAndOfARunIsDescribedInTheApiDocument() throws Exception {
        JsonNode schemas = new BarrageApi(port).getJson("/v3/api-docs").at("/components/schemas");

        for (String name : java.util.List.of("TestDefinition", "RequestDefinition", "WorkloadDefinition", "Stage",
                "ScenarioDefinition", "StepDefinition", "CaptureDefinition", "CheckDefinition", "DataDefinition",
                "GroupSummary", "Iterations", "Checks", "CheckCounts", "StepPoint", "RunComparison", "Change", "Side",
                "RunResponse", "Summary", "LatencySummary", "TimelinePoint", "ThresholdResult")) {
            JsonNode properties = schemas.at("/" + name + "/properties");
            assertThat(properties.size()).as("%s has properties", name).isPositive();
            for (String property : properties.propertyNames()) {
                assertThat(properties.get(property).path("description").asString(""))
                        .as("%s.%s is described", name, property).isNotBlank();
            }
        }
        assertThat(schemas.at("/RequestDefinition/properties/timeout/default").asString()).isEqualTo("5s");
        assertThat(schemas.at("/WorkloadDefinition/properties/maxConcurrency/default").asInt()).isEqualTo(10000);
    }
}
