package dev.barrage.api;

import dev.barrage.engine.recording.TimelinePoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.webjars.WebJarVersionLocator;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /tests/{id}/report: one HTML file that opens from disk with no network. It carries uPlot, the
 * run page's stylesheet and drawing scripts (static/ui/), and the run with its definition and whole
 * timeline as JSON, so it shows what the run page shows. The scripts and styles are read once, at
 * start-up.
 *
 * <p>Thread-safety: immutable after construction.
 */
@Component
class HtmlReport {

    private static final List<String> SCRIPTS = List.of("common.js", "charts.js", "run-view.js");

    private final JsonMapper json;
    private final String styles;
    private final String scripts;
    private final String boot;

    HtmlReport(JsonMapper json) {
        this.json = json;
        WebJarVersionLocator webJars = new WebJarVersionLocator();
        this.styles = inlinable(read(webJar(webJars, "dist/uPlot.min.css")) + "\n" + read("static/ui/app.css"), "</style");
        StringBuilder code = new StringBuilder(read(webJar(webJars, "dist/uPlot.iife.min.js")));
        SCRIPTS.forEach(script -> code.append('\n').append(read("static/ui/" + script)));
        this.scripts = inlinable(code.toString(), "</script");
        this.boot = inlinable(read("static/ui/report.js"), "</script");
    }

    /** The report of a run as it is now (a finished run's is final). */
    String render(RunResponse run, List<TimelinePoint> timeline, String source, Instant generatedAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", run);
        data.put("timeline", timeline);
        data.put("generatedAt", generatedAt);
        data.put("source", source);
        // "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end the block early
        String dataJson = json.writeValueAsString(data).replace("<", "\\u003c");
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Barrage report</title>
                <style>
                %s
                </style>
                </head>
                <body>
                <nav class="top"><span class="brand" style="color:#fff;font-weight:700">Barrage</span><span style="color:#e5e7eb">saved report</span></nav>
                <main id="main"></main>
                <script type="application/json" id="barrage-report-data">%s</script>
                <script>
                %s
                </script>
                <script>
                %s
                </script>
                </body>
                </html>
                """.formatted(escapeHtml(run.name()), styles, dataJson, scripts, boot);
    }

    private static String webJar(WebJarVersionLocator webJars, String file) {
        String path = webJars.fullPath("uplot", file);
        if (path == null) {
            throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
        }
        return path;
    }

    private static String read(String classPath) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(classPath)) {
            if (in == null) {
                throw new IllegalStateException(classPath + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text that can sit inside its element as it is; a closing tag in it would end the element early. */
    private static String inlinable(String text, String closingTag) {
        if (text.toLowerCase(Locale.ROOT).contains(closingTag)) {
            throw new IllegalStateException("an inlined resource contains " + closingTag);
        }
        return text;
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
