package dev.barrage.api;

import dev.barrage.runs.TestDefinition;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a test definition as POST /tests binds it (strict JSON types, durations such as "500ms"),
 * for tests that check definitions without starting Spring.
 */
public final class DefinitionJson {

    private static final JsonMapper MAPPER = mapper();

    private DefinitionJson() {
    }

    /** @param singleQuoted JSON written with single quotes for readability (so no apostrophe inside values) */
    public static TestDefinition read(String singleQuoted) {
        return MAPPER.readValue(singleQuoted.replace('\'', '"'), TestDefinition.class);
    }

    private static JsonMapper mapper() {
        JsonMapper.Builder builder = JsonMapper.builder()
                .addModule(new DurationJsonModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // as application.yaml sets it
        new StrictJsonConfig().strictJson().customize(builder);
        return builder.build();
    }
}
