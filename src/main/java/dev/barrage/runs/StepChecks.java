package dev.barrage.runs;

import dev.barrage.engine.scenario.Capture;
import dev.barrage.engine.scenario.Check;
import dev.barrage.engine.scenario.JsonPath;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a step's {@code checks} and {@code capture} entries: exactly one kind each, JSON paths
 * and regular expressions compiled once here (never per request). Stateless.
 */
final class StepChecks {

    /** The longest value an equals check may expect: as long as bodyContains or contains may be. */
    static final int MAX_EXPECTED_LENGTH = 1000;


    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private StepChecks() {
    }

    /** The check, or null with a problem added. */
    static Check check(CheckDefinition check, int index, String field, List<FieldProblem> problems) {
        int kinds = count(check.status() != null, check.bodyContains() != null, check.jsonPath() != null,
                check.header() != null, check.maxDuration() != null);
        if (kinds != 1) {
            problems.add(new FieldProblem(field, "give exactly one of status, bodyContains, jsonPath (with equals or exists),"
                    + " header (with equals or contains) or maxDuration"));
            return null;
        }
        if (check.status() != null) {
            Integer from = check.status().get(0);
            Integer to = check.status().get(1);
            if (from != null && to != null && from > to) {
                problems.add(new FieldProblem(field + ".status", "from must not be greater than to, such as [200, 299]"));
                return null;
            }
            return unaccompanied(check, field, problems) ? Check.status(index, from, to) : null;
        }
        if (check.bodyContains() != null) {
            return unaccompanied(check, field, problems) ? Check.bodyContains(index, check.bodyContains()) : null;
        }
        if (check.maxDuration() != null) {
            return unaccompanied(check, field, problems)
                    ? Check.maxDuration(index, check.maxDuration().toNanos(), Durations.format(check.maxDuration())) : null;
        }
        if (check.jsonPath() != null) {
            JsonPath path = jsonPath(check.jsonPath(), field + ".jsonPath", problems);
            if (check.contains() != null || (check.equalTo() == null) == (check.exists() == null)) {
                problems.add(new FieldProblem(field, "a jsonPath check takes equals (a value) or exists (true or false), one of the two"));
                return null;
            }
            if (path == null) {
                return null;
            }
            if (check.exists() != null) {
                return Check.jsonExists(index, path, check.exists());
            }
            String expected = scalarText(check.equalTo());
            if (expected == null) {
                problems.add(new FieldProblem(field + ".equals", "must be a string, number or boolean"));
                return null;
            }
            if (tooLong(expected, field + ".equals", problems)) {
                return null;
            }
            return Check.jsonEquals(index, path, expected);
        }
        if (!HEADER_NAME.matcher(check.header()).matches()) {
            problems.add(new FieldProblem(field + ".header", "must be a valid header name"));
            return null;
        }
        if (check.exists() != null || (check.equalTo() == null) == (check.contains() == null)) {
            problems.add(new FieldProblem(field, "a header check takes equals or contains (a text), one of the two"));
            return null;
        }
        if (check.contains() != null) {
            return Check.headerContains(index, check.header(), check.contains());
        }
        if (!(check.equalTo() instanceof String text)) {
            problems.add(new FieldProblem(field + ".equals", "must be a string for a header check"));
            return null;
        }
        if (tooLong(text, field + ".equals", problems)) {
            return null;
        }
        return Check.headerEquals(index, check.header(), text);
    }

    /**
     * The expected value is part of the check's name, a key of summary.checks.byCheck: kept as short
     * as bodyContains, so no answer carries a key JSON readers refuse (Jackson's limit is 50,000).
     */
    private static boolean tooLong(String expected, String field, List<FieldProblem> problems) {
        if (expected.length() <= MAX_EXPECTED_LENGTH) {
            return false;
        }
        problems.add(new FieldProblem(field, "must be at most " + MAX_EXPECTED_LENGTH + " characters (it names the check)"));
        return true;
    }

    /** The capture, or null with a problem added. */
    static Capture capture(CaptureDefinition capture, int slot, int check, String field, List<FieldProblem> problems) {
        if (count(capture.jsonPath() != null, capture.header() != null, capture.regex() != null) != 1) {
            problems.add(new FieldProblem(field, "give exactly one of jsonPath, header or regex, with as"));
            return null;
        }
        if (capture.jsonPath() != null) {
            JsonPath path = jsonPath(capture.jsonPath(), field + ".jsonPath", problems);
            return path == null ? null : Capture.jsonPath(capture.as(), slot, check, path);
        }
        if (capture.header() != null) {
            if (!HEADER_NAME.matcher(capture.header()).matches()) {
                problems.add(new FieldProblem(field + ".header", "must be a valid header name"));
                return null;
            }
            return Capture.header(capture.as(), slot, check, capture.header());
        }
        try {
            return Capture.regex(capture.as(), slot, check, Pattern.compile(capture.regex()));
        } catch (PatternSyntaxException e) {
            problems.add(new FieldProblem(field + ".regex", "is not a valid regular expression: " + e.getDescription()
                    + " near character " + e.getIndex()));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field + ".regex", e.getMessage()));
        }
        return null;
    }

    private static boolean unaccompanied(CheckDefinition check, String field, List<FieldProblem> problems) {
        if (check.equalTo() != null || check.exists() != null || check.contains() != null) {
            problems.add(new FieldProblem(field, "equals, exists and contains go with jsonPath or header only"));
            return false;
        }
        return true;
    }

    private static JsonPath jsonPath(String text, String field, List<FieldProblem> problems) {
        try {
            return JsonPath.compile(text);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, e.getMessage()));
            return null;
        }
    }

    /** A JSON scalar as the path check compares it: a string's content, a number or boolean as written. */
    private static String scalarText(Object value) {
        return switch (value) {
            case String text -> text;
            case Boolean bool -> bool.toString();
            case BigDecimal decimal -> decimal.toPlainString();
            case Number number -> number.toString();
            default -> null;
        };
    }

    private static int count(boolean... given) {
        int count = 0;
        for (boolean one : given) {
            count += one ? 1 : 0;
        }
        return count;
    }
}
