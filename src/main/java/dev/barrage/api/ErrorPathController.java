package dev.barrage.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Every error the servlet container routes to {@code /error} (a request the security filter
 * refused, an unknown HTTP method, a status set by a filter) answers as problem details, like the
 * rest of the API; {@code /error} asked for directly is not a resource (404), never a 500.
 */
@RestController
@Hidden
class ErrorPathController implements ErrorController {

    @RequestMapping(path = "/error", produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.APPLICATION_JSON_VALUE, "*/*"})
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        if (status == null || !status.isError()) {
            status = HttpStatus.NOT_FOUND; // /error itself, asked for directly
            path = request.getRequestURI();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detailOf(status));
        problem.setType(ProblemTypes.forStatus(status));
        problem.setTitle(status.getReasonPhrase());
        problem.setInstance(safeUri(path));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detailOf(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request is malformed (its path, method, headers or query) and was refused before it reached the API.";
            case NOT_FOUND -> "No such resource. The API lives under /tests; see /swagger-ui.html.";
            case METHOD_NOT_ALLOWED -> "This method is not supported here.";
            default -> status.is5xxServerError()
                    ? "Barrage failed on this request; the error is logged on the server."
                    : status.getReasonPhrase() + ".";
        };
    }

    private static URI safeUri(String path) {
        try {
            return path == null || "null".equals(path) ? null : URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
