package dev.barrage.engine;

/**
 * The part {@code (from, to]} of a test's plan one generator applies, as k6's execution segments:
 * with N generators, generator k takes {@code (k-1)/N .. k/N}. With the bounds over one (reduced)
 * denominator D, unit i of the whole plan (a user, an iteration) belongs to the segment whose
 * numerators hold {@code i mod D}: the units are dealt in turn, every unit to exactly one segment,
 * so the segments of a split add up to exactly the whole, and each share of any prefix is within one
 * unit of its part. Iteration i is therefore run by one generator only, with the due time, scenario
 * and number it has in the whole plan.
 *
 * <p>Immutable. The bounds are fractions over one denominator: {@code from = fromNumerator/denominator}.
 */
public record ExecutionSegment(long fromNumerator, long toNumerator, long denominator) {

    /** The whole plan: a generator alone. */
    public static final ExecutionSegment WHOLE = new ExecutionSegment(0, 1, 1);

    public ExecutionSegment {
        if (denominator < 1 || fromNumerator < 0 || toNumerator <= fromNumerator || toNumerator > denominator) {
            throw new IllegalArgumentException("a segment is (from, to] with 0 <= from < to <= 1, not "
                    + fromNumerator + "/" + denominator + ":" + toNumerator + "/" + denominator);
        }
        long common = gcd(gcd(fromNumerator, toNumerator), denominator);
        fromNumerator /= common;
        toNumerator /= common;
        denominator /= common;
    }

    /** Generator {@code k} (1-based) of {@code n}: {@code (k-1)/n .. k/n}. */
    public static ExecutionSegment of(int k, int n) {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("generator " + k + " of " + n);
        }
        return new ExecutionSegment(k - 1, k, n);
    }

    /** Parses the form {@link #toString()} writes, such as {@code 1/3:2/3} (or {@code 0:1}). */
    public static ExecutionSegment parse(String text) {
        String[] bounds = text.split(":", -1);
        if (bounds.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not a segment such as 1/3:2/3");
        }
        long[] from = fraction(bounds[0], text);
        long[] to = fraction(bounds[1], text);
        long denominator = Math.multiplyExact(from[1], to[1]);
        return new ExecutionSegment(Math.multiplyExact(from[0], to[1]), Math.multiplyExact(to[0], from[1]), denominator);
    }

    public boolean isWhole() {
        return fromNumerator == 0 && toNumerator == denominator;
    }

    /** How many of the first {@code count} units of the whole plan are this segment's. */
    public long scale(long count) {
        long width = toNumerator - fromNumerator;
        long inLastCycle = Math.clamp(count % denominator - fromNumerator, 0, width);
        return Math.addExact(Math.multiplyExact(count / denominator, width), inLastCycle);
    }

    /** Whether unit {@code index} (0-based) of the whole plan is this segment's. */
    public boolean owns(long index) {
        long place = index % denominator;
        return place >= fromNumerator && place < toNumerator;
    }

    /** The first unit at or after {@code index} that is this segment's. */
    public long nextOwned(long index) {
        if (denominator == 1) {
            return index; // the whole plan: the standalone path stays a plain count
        }
        long place = index % denominator;
        if (place < fromNumerator) {
            return index + (fromNumerator - place);
        }
        return place < toNumerator ? index : index + (denominator - place) + fromNumerator;
    }

    /** The unit of the whole plan that is this segment's {@code n}-th (0-based) unit. */
    public long nthOwned(long n) {
        if (denominator == 1) {
            return n;
        }
        long width = toNumerator - fromNumerator;
        return Math.addExact(Math.multiplyExact(n / width, denominator), fromNumerator + n % width);
    }

    @Override
    public String toString() {
        return fraction(fromNumerator) + ":" + fraction(toNumerator);
    }

    private String fraction(long numerator) {
        if (numerator == 0) {
            return "0";
        }
        long gcd = gcd(numerator, denominator);
        return numerator / gcd == denominator / gcd ? "1" : numerator / gcd + "/" + denominator / gcd;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long[] fraction(String text, String whole) {
        try {
            int slash = text.indexOf('/');
            if (slash < 0) {
                return new long[] {Long.parseLong(text.strip()), 1};
            }
            return new long[] {Long.parseLong(text.substring(0, slash).strip()), Long.parseLong(text.substring(slash + 1).strip())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + whole + "' is not a segment such as 1/3:2/3", e);
        }
    }
}
