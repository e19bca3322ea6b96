package dev.barrage.engine.scenario;

/**
 * Which scenario iteration n runs, as a pure function of n: the weights are laid out once in a
 * cycle as long as their sum, interleaved smoothly (nginx's smooth weighted round-robin, so weights
 * 8 and 2 give A A B A A A A B A A, not eight A then two B), and iteration n takes entry n mod the
 * cycle. Every whole cycle holds each scenario exactly its weight, so 1,000 iterations of weights 8
 * and 2 are 800 and 200; and since nothing depends on who ran the iterations before, the plan can
 * be split across generators by index.
 *
 * <p>Thread-safety: immutable; any number of threads may ask it at once.
 */
public final class WeightedCycle {

    /** Bounds the cycle's table: 50 scenarios of weight 1,000 at most. */
    public static final int MAX_WEIGHT = 1_000;
    public static final int MAX_SCENARIOS = 50;

    private final byte[] scenarioAt;

    /** @throws IllegalArgumentException unless there are 1..50 weights, each 1..1000 */
    public WeightedCycle(int... weights) {
        if (weights.length < 1 || weights.length > MAX_SCENARIOS) {
            throw new IllegalArgumentException("between 1 and " + MAX_SCENARIOS + " scenarios, not " + weights.length);
        }
        int total = 0;
        for (int weight : weights) {
            if (weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("a weight must be between 1 and " + MAX_WEIGHT + ", not " + weight);
            }
            total += weight;
        }
        scenarioAt = new byte[total];
        int[] current = new int[weights.length];
        for (int slot = 0; slot < total; slot++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i; // ties go to the earlier scenario
                }
            }
            current[best] -= total;
            scenarioAt[slot] = (byte) best;
        }
    }

    /** The index of the scenario that iteration {@code iteration} (0-based) runs. */
    public int scenarioOf(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0");
        }
        return scenarioAt[(int) (iteration % scenarioAt.length)];
    }

    /** Iterations in one whole cycle: the sum of the weights. */
    public int cycleLength() {
        return scenarioAt.length;
    }
}
