package dev.barrage.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat answers some requests itself, before Spring sees them (a NUL in the path, a header over
 * the size limit, two Content-Length headers): as problem details like every other answer, not as
 * an HTML page. Nothing from the request is echoed, since it is malformed by definition.
 *
 * <p>Thread-safety: stateless; Tomcat calls it from any request thread.
 */
public final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String title = status == null ? "HTTP " + code : status.getReasonPhrase();
        String detail = code == 400
                ? "The request is malformed (its path, headers or framing) and was refused before it reached the API."
                : code >= 500 ? "The server could not handle this request." : title + ".";
        String body = "{\"type\":\"" + (status == null ? "about:blank" : ProblemTypes.forStatus(status)) + "\","
                + "\"title\":\"" + title + "\",\"status\":" + code + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is going away; there is no one left to tell
        }
    }

}
