package dev.barrage.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.barrage.support.BarrageApi;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** A person who opens the service's address in a browser lands somewhere useful, not on a 404. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FrontDoorEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void theRootRedirectsToTheInteractiveApiDocumentation() throws Exception {
        BarrageApi barrage = new BarrageApi(port);

        HttpResponse<String> root = barrage.get("/");

        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/swagger-ui.html"));
        HttpResponse<String> landed = barrage.getFollowingRedirects("/");
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).containsIgnoringCase("swagger");
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
