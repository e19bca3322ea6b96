package dev.barrage.api;

import dev.barrage.engine.recording.TimelinePoint;
import dev.barrage.runs.Durations;
import dev.barrage.runs.Run;
import dev.barrage.runs.RunComparison;
import dev.barrage.runs.RunNotFinishedException;
import dev.barrage.runs.RunService;
import dev.barrage.runs.RunStatus;
import dev.barrage.runs.TestDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The /tests resource: start, poll, list and cancel load-test runs. */
@RestController
@RequestMapping(path = "/tests", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tests", description = "Start load tests and read their results")
@SecurityRequirement(name = OpenApiConfig.API_KEY)
@ApiResponse(responseCode = "401", description = "barrage.security.api-key is set and the key is missing or wrong",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class),
                examples = @ExampleObject(ApiExamples.UNAUTHORIZED)))
class TestsController {

    private static final String PROBLEM = "application/problem+json";
    /** The longest GET /tests/{id}?wait= holds a request (and a Tomcat connection) open. */
    static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final RunService runs;
    private final RunEvents events;
    private final HtmlReport reports;

    TestsController(RunService runs, RunEvents events, HtmlReport reports) {
        this.runs = runs;
        this.events = events;
        this.reports = reports;
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow a run as server-sent events", description = "A snapshot event each time the run's "
            + "published state changes (about once a second while it runs: the run without its definition, and the newest "
            + "timeline point as latest), then an end event (data: the final status) and the stream closes.")
    @ApiResponse(responseCode = "200", description = "the event stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "429", description = "all event streams of this server are open",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    SseEmitter events(@PathVariable String id) {
        return events.stream(runs.get(id));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a load test",
            description = "Validates the definition and starts the run at once. Answers 202 with the run and its Location.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = {
                    @ExampleObject(name = "closed model", value = ApiExamples.CLOSED_TEST),
                    @ExampleObject(name = "open model", value = ApiExamples.OPEN_TEST),
                    @ExampleObject(name = "stages", value = ApiExamples.STAGED_TEST),
                    @ExampleObject(name = "scenarios", value = ApiExamples.SHOP_TEST)}))
    @ApiResponse(responseCode = "202", description = "accepted: RUNNING, or QUEUED behind running tests; Location names the run",
            content = @Content(schema = @Schema(implementation = RunResponse.class), examples = @ExampleObject(ApiExamples.STARTED)))
    @ApiResponse(responseCode = "403", description = "the target's address is not allowed by barrage.targets.allow; nothing sent",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.TARGET_REFUSED)))
    @ApiResponse(responseCode = "413", description = "the body is over barrage.limits.max-definition-size; not read",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "400", description = "invalid definition, or over a limit of this server; nothing started",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.INVALID)))
    @ApiResponse(responseCode = "429", description = "the queue is full (barrage.limits.max-queued) or the runs not yet finished hold "
            + "barrage.limits.retained-bytes; Retry-After says when the next running test is planned to end",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.QUEUE_FULL)))
    ResponseEntity<RunResponse> start(@Valid @RequestBody TestDefinition definition) {
        Run run = runs.submit(definition);
        return ResponseEntity.accepted().location(URI.create("/tests/" + run.id())).body(answer(run));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Poll a run", description = "Live while RUNNING (refreshed every second), final once it ended. "
            + "With ?wait=30s the answer waits until the run has ended or the wait is over, whichever comes first.")
    @ApiResponse(responseCode = "200", description = "the run",
            content = @Content(schema = @Schema(implementation = RunResponse.class), examples = @ExampleObject(ApiExamples.RUN)))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    DeferredResult<RunResponse> get(@PathVariable String id,
            @Parameter(description = "wait up to this long (at most 5m, such as 30s) for the run to end; "
                    + "answers at once when it has ended, and with the run as it is when the wait is over")
            @RequestParam(required = false) String wait) {
        Duration waitFor = waitOf(wait);
        Run run = runs.get(id);
        DeferredResult<RunResponse> result = new DeferredResult<>(Math.max(1, waitFor.toMillis()), () -> answer(run));
        if (waitFor.isZero() || run.state().status().isFinal()) {
            result.setResult(answer(run));
            return result;
        }
        AutoCloseable waiting = run.onFinished(() -> result.setResult(answer(run)));
        result.onCompletion(() -> forget(waiting));
        return result;
    }

    @GetMapping(path = "/{id}/junit", produces = MediaType.APPLICATION_XML_VALUE)
    @Operation(summary = "A finished run as JUnit XML", description = "One test suite per run: a test case that the run "
            + "completed (an error when it was cancelled or failed) and one per threshold (a failure when it did not hold); "
            + "the warnings in system-out. For CI systems that show test reports.")
    @ApiResponse(responseCode = "200", description = "the report", content = @Content(mediaType = MediaType.APPLICATION_XML_VALUE))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "the run has not ended yet (GET /tests/{id}?wait=5m answers when it has)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<String> junit(@PathVariable String id) {
        Run run = runs.get(id);
        if (!run.state().status().isFinal()) {
            throw new RunNotFinishedException(id, run.state().status());
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"barrage-" + id + ".xml\"")
                .contentType(MediaType.APPLICATION_XML)
                .body(JunitReport.of(run));
    }

    @GetMapping(path = "/{id}/report", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "A run as one self-contained HTML file", description = "The run page as a file: charts, tables, "
            + "warnings and the definition, with the chart library and the data inside it, so that it opens from disk with "
            + "no network. A finished run's report is final; a running run's shows it as it is now.")
    @ApiResponse(responseCode = "200", description = "the report", content = @Content(mediaType = MediaType.TEXT_HTML_VALUE))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    ResponseEntity<String> report(@PathVariable String id, HttpServletRequest request) {
        Run run = runs.get(id);
        RunResponse answer = answer(run);
        String html = reports.render(answer, run.state().snapshot().timeline(), request.getRequestURL().toString(), Instant.now());
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"barrage-" + id + ".html\"")
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(html);
    }

    @GetMapping("/compare")
    @Operation(summary = "Two runs side by side", description = "Each figure of the two summaries with its change from a to b "
            + "(absolute and relative to a), and the thresholds of a judged on b.")
    @ApiResponse(responseCode = "200", description = "the comparison", content = @Content(schema = @Schema(implementation = RunComparison.class)))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    RunComparison compare(@Parameter(description = "the run compared against (the baseline)") @RequestParam String a,
                          @Parameter(description = "the run compared") @RequestParam String b) {
        return RunComparison.of(runs.get(a), runs.get(b));
    }

    private static void forget(AutoCloseable waiting) {
        try {
            waiting.close();
        } catch (Exception e) {
            throw new IllegalStateException(e); // the handle only removes from a set
        }
    }

    /** The wait a client asked for: none without the parameter, at most {@link #MAX_WAIT}. */
    private static Duration waitOf(String wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        Duration parsed;
        try {
            parsed = Durations.parse(wait);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterValueException("wait", "'" + wait + "' is not a duration: write one such as 30s or 5m");
        }
        if (parsed.isNegative() || parsed.compareTo(MAX_WAIT) > 0) {
            throw new InvalidParameterValueException("wait", "must be between 0s and " + Durations.format(MAX_WAIT));
        }
        return parsed;
    }

    @GetMapping("/{id}/timeline")
    @Operation(summary = "One point per second of a run", description = "t is seconds since start; latencies in ms.")
    @ApiResponse(responseCode = "200", description = "the timeline so far",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = TimelinePoint.class)), examples = @ExampleObject(ApiExamples.TIMELINE)))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    List<TimelinePoint> timeline(@PathVariable String id) {
        return runs.get(id).state().snapshot().timeline();
    }

    @GetMapping
    @Operation(summary = "List runs", description = "Newest first, without their definitions.")
    @ApiResponse(responseCode = "200", description = "the runs",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = RunResponse.class)), examples = @ExampleObject(ApiExamples.LIST)))
    @ApiResponse(responseCode = "400", description = "unknown status or a limit out of range",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.INVALID_PARAMETER)))
    List<RunResponse> list(
            @Parameter(description = "only runs in this status") @RequestParam(required = false) RunStatus status,
            @Parameter(description = "at most this many runs") @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return runs.list(status, limit).stream()
                .map(run -> RunResponse.withoutDefinition(run, runs.queuePosition(run).orElse(null))).toList();
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Stop a run", description = "Stops a QUEUED or RUNNING run; it ends CANCELLED with the results of what was done.")
    @ApiResponse(responseCode = "202", description = "cancelled (or cancelling: poll until CANCELLED)",
            content = @Content(schema = @Schema(implementation = RunResponse.class), examples = @ExampleObject(ApiExamples.RUN)))
    @ApiResponse(responseCode = "404", description = "unknown id",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "the run has already ended",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(ApiExamples.ALREADY_FINISHED)))
    ResponseEntity<RunResponse> cancel(@PathVariable String id) {
        return ResponseEntity.accepted().body(answer(runs.cancel(id)));
    }

    private RunResponse answer(Run run) {
        return RunResponse.of(run, runs.queuePosition(run).orElse(null));
    }
}
