package dev.barrage.engine.scenario;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The rows a test's {@code {{data.FIELD}}} templates read. In {@code sequence} order iteration n
 * takes row n mod the number of rows (a pure function of n, so every iteration numbering, one
 * generator or several, reads the same rows); in {@code random} order each iteration draws one.
 *
 * <p>Thread-safety: immutable (the rows are not modified after construction).
 */
public record DataTable(List<String> fields, String[][] rows, boolean random) {

    public DataTable {
        fields = List.copyOf(fields);
        if (rows.length == 0) {
            throw new IllegalArgumentException("the data has no rows");
        }
        for (String[] row : rows) {
            if (row.length != fields.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " fields, not " + fields.size());
            }
        }
    }

    String[] rowFor(long iteration, SplittableRandom randomness) {
        return random ? rows[randomness.nextInt(rows.length)] : rows[(int) (iteration % rows.length)];
    }
}
