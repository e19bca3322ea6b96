package dev.barrage.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How many cluster nodes apply a test: a number from 1, or {@code "all"} (every member when the test
 * starts). One is the node that received the test, alone, as on a standalone node. Immutable.
 *
 * @param count the number of generators, or 0 for all members
 */
public record Generators(int count) {

    public static final Generators ONE = new Generators(1);
    public static final Generators ALL = new Generators(0);
    /** Far more nodes than one test needs; keeps the plan's split and the node table small. */
    public static final int MAX = 64;

    public Generators {
        if (count < 0 || count > MAX) {
            throw new IllegalArgumentException("must be a whole number of generators from 1 to " + MAX + ", or \"all\"");
        }
    }

    /** From the JSON value: a whole number or the text "all". */
    @JsonCreator
    public static Generators of(Object value) {
        if (value instanceof Integer number && number >= 1) {
            return new Generators(number);
        }
        if ("all".equals(value)) {
            return ALL;
        }
        throw new IllegalArgumentException("must be a whole number of generators from 1 to " + MAX + ", or \"all\"");
    }

    public boolean all() {
        return count == 0;
    }

    /** How many generators with {@code members} nodes in the cluster. */
    public int resolve(int members) {
        return all() ? members : count;
    }

    @JsonValue
    Object json() {
        return all() ? "all" : count;
    }
}
