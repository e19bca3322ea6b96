package dev.barrage.api;

import dev.barrage.runs.RunStatus;
import java.util.Locale;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** {@code ?status=running} means RUNNING: a status is matched whatever its case. */
@Component
class RunStatusConverter implements Converter<String, RunStatus> {

    @Override
    public RunStatus convert(String text) {
        return RunStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
