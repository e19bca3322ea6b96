package dev.barrage.api;

import dev.barrage.runs.FieldProblem;
import dev.barrage.runs.InvalidDefinitionException;
import dev.barrage.runs.RunAlreadyFinishedException;
import dev.barrage.runs.RunNotFoundException;
import dev.barrage.runs.RunQueueFullException;
import dev.barrage.runs.TargetRefusedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Turns every error into RFC 9457 problem details with a stable {@code type}, the request path as
 * {@code instance}, and for invalid input an {@code errors} array naming each field. Never a stack
 * trace; a 500 only for Barrage's own bugs.
 */
@RestControllerAdvice
class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    @ExceptionHandler(InvalidDefinitionException.class)
    ResponseEntity<Object> invalidDefinition(InvalidDefinitionException e, WebRequest request) {
        return invalid(e.problems(), request);
    }

    @ExceptionHandler(RunNotFoundException.class)
    ResponseEntity<Object> notFound(RunNotFoundException e, WebRequest request) {
        return problem(HttpStatus.NOT_FOUND, ProblemTypes.RUN_NOT_FOUND, "Test run not found", e.getMessage(), request);
    }

    @ExceptionHandler(RunAlreadyFinishedException.class)
    ResponseEntity<Object> alreadyFinished(RunAlreadyFinishedException e, WebRequest request) {
        return problem(HttpStatus.CONFLICT, ProblemTypes.RUN_ALREADY_FINISHED, "Test run already finished",
                e.getMessage(), request);
    }

    @ExceptionHandler(dev.barrage.runs.RunNotFinishedException.class)
    ResponseEntity<Object> notFinished(dev.barrage.runs.RunNotFinishedException e, WebRequest request) {
        return problem(HttpStatus.CONFLICT, ProblemTypes.RUN_NOT_FINISHED, "Test run not finished", e.getMessage(), request);
    }

    @ExceptionHandler(RunEvents.TooManyStreamsException.class)
    ResponseEntity<Object> tooManyStreams(RunEvents.TooManyStreamsException e, WebRequest request) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "5")
                .body(detail(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_STREAMS, "Too many event streams",
                        e.getMessage(), request));
    }

    @ExceptionHandler(InvalidParameterValueException.class)
    ResponseEntity<Object> invalidParameterValue(InvalidParameterValueException e, WebRequest request) {
        return withErrors(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid request parameter",
                List.of(new FieldProblem(e.parameter(), e.getMessage())), request);
    }

    @ExceptionHandler(TargetRefusedException.class)
    ResponseEntity<Object> targetRefused(TargetRefusedException e, WebRequest request) {
        return problem(HttpStatus.FORBIDDEN, ProblemTypes.TARGET_NOT_ALLOWED, "Target not allowed", e.getMessage(), request);
    }

    @ExceptionHandler(RunQueueFullException.class)
    ResponseEntity<Object> queueFull(RunQueueFullException e, WebRequest request) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(detail(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.QUEUE_FULL, "Too many queued tests",
                        e.getMessage(), request));
    }

    /** A query string that cannot be decoded (%zz, a lone %, bytes that are not UTF-8) is the client's mistake. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<Object> undecodableQuery(Exception e, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid request parameter",
                "The query string cannot be decoded: percent-encode it as UTF-8 (%zz, a lone % and invalid UTF-8 are refused).",
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("Unexpected error on {}", pathOf(request), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
                "Barrage failed on this request; the error is logged on the server. Nothing you sent caused it.", request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            problems.add(new FieldProblem(cleanPath(error.getField()), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error ->
                problems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return invalid(problems, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            org.springframework.web.bind.MissingServletRequestParameterException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return withErrors(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid request parameter",
                List.of(new FieldProblem(e.getParameterName(), "is required")), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldProblem(
                        result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .toList();
        return withErrors(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid request parameter",
                problems, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String message = type != null && type.isEnum()
                ? "must be one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                : JsonProblems.mustBe(type, null);
        return withErrors(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, "Invalid request parameter",
                List.of(new FieldProblem(name, message)), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        BodySizeLimit.TooLargeException tooLarge = findCause(e, BodySizeLimit.TooLargeException.class);
        if (tooLarge != null) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.forStatus(HttpStatus.CONTENT_TOO_LARGE),
                    "Request body too large", tooLarge.getMessage(), request);
        }
        JacksonException jackson = findCause(e, JacksonException.class);
        if (jackson != null) {
            FieldProblem field = JsonProblems.explain(jackson);
            if (field != null) {
                return invalid(List.of(field), request);
            }
            if (JsonProblems.isNotAnObject(jackson)) {
                return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Not a test definition",
                        "The body must be a JSON object: a test definition such as "
                                + "{\"request\": {\"url\": \"http://127.0.0.1:8081/\"}, \"workload\": {\"concurrency\": 10, \"duration\": \"30s\"}}.",
                        request);
            }
            String where = jackson.getLocation() == null ? ""
                    : " at line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr();
            return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON",
                    "The body is not valid JSON" + where + ": " + firstLine(jackson.getOriginalMessage()), request);
        }
        return problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON",
                "The request body is missing or unreadable: send a test definition as JSON (Content-Type: application/json).",
                request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (body == null && e instanceof org.springframework.web.ErrorResponse framework) {
            body = framework.updateAndGetBody(getMessageSource(), org.springframework.context.i18n.LocaleContextHolder.getLocale());
        }
        if (body instanceof ProblemDetail detail) {
            if (detail.getType() == null || "about:blank".equals(detail.getType().toString())) {
                detail.setType(ProblemTypes.forStatus(status));
            }
            detail.setInstance(instanceOf(request));
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private ResponseEntity<Object> invalid(List<FieldProblem> problems, WebRequest request) {
        return withErrors(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_DEFINITION, "Invalid test definition", problems, request);
    }

    private ResponseEntity<Object> withErrors(HttpStatus status, java.net.URI type, String title,
                                              List<FieldProblem> problems, WebRequest request) {
        List<FieldProblem> sorted = problems.stream()
                .sorted(java.util.Comparator.comparing(FieldProblem::field)).toList();
        String detail = sorted.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; "));
        ProblemDetail body = detail(status, type, title, detail, request);
        body.setProperty("errors", sorted);
        return ResponseEntity.status(status).body(body);
    }

    private ResponseEntity<Object> problem(HttpStatus status, java.net.URI type, String title, String detail,
                                           WebRequest request) {
        return ResponseEntity.status(status).body(detail(status, type, title, detail, request));
    }

    private static ProblemDetail detail(HttpStatus status, java.net.URI type, String title, String detail,
                                        WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type);
        body.setTitle(title);
        body.setInstance(instanceOf(request));
        return body;
    }

    /** Bean Validation names map keys and list elements oddly ("headers<K>[X]"); show plain paths. */
    private static String cleanPath(String field) {
        return field.replaceAll("<[^>]*>", "");
    }

    private static String pathOf(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "/";
    }

    private static java.net.URI instanceOf(WebRequest request) {
        try {
            return java.net.URI.create(pathOf(request));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.replaceAll("`[\\w.$]*TestDefinition`", "a test definition").replaceAll("`[\\w.$]+\\.([\\w$]+)`", "$1");
    }

    private static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
