package dev.barrage.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import java.time.Duration;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document: durations are documented as the strings the API takes, not as objects. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static {
        SpringDocUtils.getConfig().replaceWithSchema(Duration.class, new StringSchema()
                .description("a duration: a number and a unit (ms, s, m, h) or ISO-8601")
                .example("5s"));
    }

    static final String API_KEY = "apiKey";

    /**
     * The bearer scheme gives Swagger UI its Authorize button: with barrage.security.api-key set,
     * every /tests call needs the key, and the UI sends it once entered.
     */
    @Bean
    OpenAPI barrageOpenApi() {
        return new OpenAPI().info(new Info()
                        .title("Barrage")
                        .version("1")
                        .description("HTTP load tests as a service: POST a test, poll GET /tests/{id} for live and final "
                                + "results (exact counts, HdrHistogram percentiles, status codes, error kinds, a per-second "
                                + "timeline). Errors are RFC 9457 problem details. When the server sets "
                                + "barrage.security.api-key, /tests needs 'Authorization: Bearer <key>': use Authorize."))
                .components(new Components().addSecuritySchemes(API_KEY, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("the server's barrage.security.api-key (only when it sets one)")));
    }
}
