package dev.barrage.runs;

import dev.barrage.engine.scenario.DataTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a definition's {@code data} into the table the templates read: CSV (RFC 4180: the first
 * line names the fields, quoted fields may hold commas, quotes as "" and line breaks) or rows of
 * scalar values. Every defect is a problem naming the line or row. Stateless.
 */
final class DataCompiler {

    /** The longest field name: names are JSON keys when the definition is shown back, and readers cap keys. */
    static final int MAX_FIELD_NAME_LENGTH = 200;


    private DataCompiler() {
    }

    /** The table, or null when there is none or it has problems (added to {@code problems}). */
    static DataTable compile(DataDefinition data, long maxBytes, List<FieldProblem> problems) {
        if (data == null) {
            return null;
        }
        boolean random = data.order() == DataDefinition.DataOrder.RANDOM;
        if ((data.csv() == null) == (data.rows() == null)) {
            problems.add(new FieldProblem("data", "give csv (text whose first line names the fields) or rows (an array of objects), one of the two"));
            return null;
        }
        long bytes = data.csv() != null ? data.csv().getBytes(StandardCharsets.UTF_8).length : rowsBytes(data.rows());
        if (bytes > maxBytes) {
            problems.add(new FieldProblem("data", "is " + bytes + " bytes, more than this server allows: " + maxBytes
                    + " (setting barrage.limits.max-data-size)"));
            return null;
        }
        int before = problems.size();
        DataTable table = data.csv() != null ? fromCsv(data.csv(), random, problems) : fromRows(data.rows(), random, problems);
        return problems.size() == before ? table : null;
    }

    private static long rowsBytes(List<Map<String, Object>> rows) {
        long bytes = 0;
        for (Map<String, Object> row : rows) {
            bytes += String.valueOf(row).getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    private static DataTable fromCsv(String csv, boolean random, List<FieldProblem> problems) {
        List<List<String>> lines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        if (!parseCsv(csv, lines, lineNumbers, problems)) {
            return null;
        }
        if (lines.isEmpty()) {
            problems.add(new FieldProblem("data.csv", "is empty: its first line names the fields, the next lines are rows"));
            return null;
        }
        List<String> fields = lines.getFirst().stream().map(String::strip).toList();
        if (!fieldsValid(fields, "data.csv", problems)) {
            return null;
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> values = lines.get(i);
            if (values.size() != fields.size()) {
                problems.add(new FieldProblem("data.csv", "line " + lineNumbers.get(i) + " has " + values.size()
                        + (values.size() == 1 ? " field" : " fields") + ", but the first line names " + fields.size()
                        + " (" + String.join(", ", fields) + ")"));
                return null;
            }
            rows.add(values.toArray(String[]::new));
        }
        if (rows.isEmpty()) {
            problems.add(new FieldProblem("data.csv", "has no rows: the first line names the fields, the next lines are rows"));
            return null;
        }
        return new DataTable(fields, rows.toArray(String[][]::new), random);
    }

    /** RFC 4180 with either line ending; blank lines are skipped. False (with a problem) on an unclosed quote. */
    private static boolean parseCsv(String csv, List<List<String>> lines, List<Integer> lineNumbers, List<FieldProblem> problems) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int startLine = 1;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !field.isEmpty()) {
                    fields.add(field.toString());
                    lines.add(fields);
                    lineNumbers.add(startLine);
                }
                fields = new ArrayList<>();
                field.setLength(0);
                any = false;
                line++;
                startLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            problems.add(new FieldProblem("data.csv", "line " + startLine + " opens a quoted field that is never closed"));
            return false;
        }
        if (any || !field.isEmpty()) {
            fields.add(field.toString());
            lines.add(fields);
            lineNumbers.add(startLine);
        }
        return true;
    }

    private static DataTable fromRows(List<Map<String, Object>> rows, boolean random, List<FieldProblem> problems) {
        if (rows.isEmpty()) {
            problems.add(new FieldProblem("data.rows", "has no rows: give at least one object"));
            return null;
        }
        List<String> fields = List.copyOf(rows.getFirst().keySet());
        if (!fieldsValid(fields, "data.rows[0]", problems)) {
            return null;
        }
        String[][] table = new String[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> row = rows.get(r);
            if (!row.keySet().equals(Set.copyOf(fields))) {
                problems.add(new FieldProblem("data.rows[" + r + "]", "has the fields " + row.keySet()
                        + ", but the first row has " + fields + ": every row needs the same fields"));
                return null;
            }
            String[] values = new String[fields.size()];
            for (int f = 0; f < fields.size(); f++) {
                Object value = row.get(fields.get(f));
                if (value instanceof Map || value instanceof List) {
                    problems.add(new FieldProblem("data.rows[" + r + "]." + fields.get(f),
                            "must be a string, number, boolean or null, not an object or array"));
                    return null;
                }
                values[f] = value == null ? "" : value.toString();
            }
            table[r] = values;
        }
        return new DataTable(fields, table, random);
    }

    private static boolean fieldsValid(List<String> fields, String field, List<FieldProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (String name : fields) {
            if (name.isEmpty() || name.contains("{") || name.contains("}")) {
                problems.add(new FieldProblem(field, "field names must not be empty or contain braces: " + fields));
                return false;
            }
            if (name.length() > MAX_FIELD_NAME_LENGTH) { // a row's field names are keys of the definition's JSON
                problems.add(new FieldProblem(field, "field names must be at most " + MAX_FIELD_NAME_LENGTH
                        + " characters: '" + name.substring(0, 40) + "…' has " + name.length()));
                return false;
            }
            if (!seen.add(name)) {
                problems.add(new FieldProblem(field, "names the field '" + name + "' twice"));
                return false;
            }
        }
        return true;
    }
}
