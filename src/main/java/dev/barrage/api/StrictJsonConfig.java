package dev.barrage.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * A definition means what it says: a key given twice is malformed JSON (not "the last one wins"),
 * and a value of the wrong JSON type is refused instead of coerced ({@code "concurrency": "1"},
 * {@code "insecureTls": 1}, {@code "name": 5} are 400s naming the field).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfig {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Integer, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.Boolean, CoercionInputShape.Float))
                .withCoercionConfig(LogicalType.Float, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.Integer, CoercionInputShape.Float))
                .withCoercionConfig(LogicalType.Textual, config -> refuse(config, CoercionInputShape.Integer,
                        CoercionInputShape.Float, CoercionInputShape.Boolean));
    }

    private static void refuse(tools.jackson.databind.cfg.MutableCoercionConfig config, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }
}
