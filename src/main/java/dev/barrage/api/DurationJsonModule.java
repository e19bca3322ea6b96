package dev.barrage.api;

import dev.barrage.runs.Durations;
import java.time.Duration;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/** Durations in JSON as the API writes them: "250ms", "5s", "2m", "1h"; ISO-8601 accepted on input. */
@Component
class DurationJsonModule extends SimpleModule {

    DurationJsonModule() {
        super("barrage-durations");
        addDeserializer(Duration.class, new Reader());
        addSerializer(Duration.class, new Writer());
    }

    static final class Reader extends ValueDeserializer<Duration> {

        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            String text = parser.getString();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw context.weirdStringException(text, Duration.class, e.getMessage());
            }
        }
    }

    static final class Writer extends ValueSerializer<Duration> {

        @Override
        public void serialize(Duration value, JsonGenerator generator, SerializationContext context) {
            generator.writeString(Durations.format(value));
        }
    }
}
