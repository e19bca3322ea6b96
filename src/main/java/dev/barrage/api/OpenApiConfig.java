package dev.barrage.api;

import io.swagger.v3.oas.models.OpenAPI;
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

    @Bean
    OpenAPI barrageOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Barrage")
                .version("1")
                .description("HTTP load tests as a service: POST a test, poll GET /tests/{id} for live and final "
                        + "results (exact counts, HdrHistogram percentiles, status codes, error kinds, a per-second "
                        + "timeline). Errors are RFC 9457 problem details."));
    }
}
