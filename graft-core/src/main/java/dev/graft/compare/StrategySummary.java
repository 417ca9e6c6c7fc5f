package dev.graft.compare;

/**
 * One strategy over all its seeds.
 *
 * @param strategy e.g. {@code lora}
 * @param runs seeds run
 * @param testMacroF1 mean test macro-F1
 * @param testMacroF1Interval half-width of its 95 % confidence interval (Student's t; 0 for one seed)
 * @param testAccuracy mean test accuracy
 * @param validationMacroF1 mean validation macro-F1
 * @param seconds median wall time of a fit
 * @param peakBytes highest peak resident memory of its fits, or -1
 * @param trainableParameters parameters it trains
 * @param trainingFlops mean estimated FLOPs of a fit
 * @param pareto whether no other strategy is at least as accurate, as fast and as small, and better in one
 */
public record StrategySummary(String strategy, int runs, double testMacroF1, double testMacroF1Interval, double testAccuracy,
        double validationMacroF1, double seconds, long peakBytes, long trainableParameters, double trainingFlops,
        boolean pareto) {}
