package dev.graft;

import dev.graft.advise.Advice;
import dev.graft.advise.Advisor;
import dev.graft.advise.StrategyEstimate;
import java.util.List;
import java.util.Locale;

/**
 * The decisions of {@code --strategy auto}, apart from the fitting: which step comes next, or why
 * the run stops — at the target, at a plateau, at the end of the ladder, or before a step the
 * wall-clock budget cannot pay for.
 */
final class AutoLadder {

    /** Validation macro-F1 a step must add over the best so far to count as an improvement. */
    static final double MIN_GAIN = 0.005;

    /**
     * @param next the strategy to run next, or null to stop
     * @param stopReason why the run stops, when it does
     */
    record Decision(String next, String stopReason) {
        static Decision run(String strategy) {
            return new Decision(strategy, null);
        }

        static Decision stop(String reason) {
            return new Decision(null, reason);
        }
    }

    private AutoLadder() {}

    /**
     * @param steps the steps run so far, in order
     * @param advice what the advisor measured
     * @param options target and budget
     * @param elapsedSeconds wall time since the run started
     * @return the next step or the reason to stop
     */
    static Decision next(List<AutoFit.Step> steps, Advice advice, AutoFit.Options options, double elapsedSeconds) {
        if (steps.isEmpty()) {
            return Decision.run("feature-extraction");
        }
        AutoFit.Step done = steps.get(steps.size() - 1);
        if (!Double.isNaN(options.target()) && done.validationMacroF1() >= options.target()) {
            return Decision.stop(String.format(Locale.ROOT, "target met: %s reached validation macro-F1 %.4f ≥ %.4f",
                    done.strategy(), done.validationMacroF1(), options.target()));
        }
        double bestBefore = steps.subList(0, steps.size() - 1).stream().mapToDouble(AutoFit.Step::validationMacroF1).max()
                .orElse(Double.NEGATIVE_INFINITY);
        if (steps.size() > 1 && done.validationMacroF1() < bestBefore + MIN_GAIN) {
            return Decision.stop(String.format(Locale.ROOT, "plateau: %s changed validation macro-F1 by %+.4f (less than %+.3f)",
                    done.strategy(), done.validationMacroF1() - bestBefore, MIN_GAIN));
        }
        String next = after(done.strategy(), advice);
        if (next == null) {
            return Decision.stop(endOfLadder(done.strategy(), advice));
        }
        double estimate = estimate(next, steps, advice);
        if (elapsedSeconds + estimate > options.budgetSeconds()) {
            return Decision.stop(String.format(Locale.ROOT, "budget: %s would take about %.0f s, %.0f s of %.0f s are left",
                    next, estimate, Math.max(0, options.budgetSeconds() - elapsedSeconds), options.budgetSeconds()));
        }
        return Decision.run(next);
    }

    /** The next rung of the ladder, or null to stop. */
    static String after(String done, Advice advice) {
        return switch (done) {
            case "feature-extraction" -> advice.recommendation().equals("feature-extraction") ? null
                    : advice.recommendation().equals("lora") ? "lora" : "two-stage:2";
            case "two-stage:2" -> advice.large()
                    ? (advice.recommendation().equals("full") ? "full" : "two-stage") : null;
            default -> null;
        };
    }

    private static String endOfLadder(String done, Advice advice) {
        return switch (done) {
            case "feature-extraction" -> "the advisor judged the frozen features enough ("
                    + advice.domain().word() + " domain, " + (advice.large() ? "large" : "small") + " data)";
            case "two-stage:2" -> String.format(Locale.ROOT,
                    "too little data to unfreeze everything (the smallest class has %,d training examples; %d needed)",
                    advice.smallestClassCount(), Advisor.LARGE_PER_CLASS);
            default -> "the deepest step has run";
        };
    }

    /**
     * Seconds the next step may take: the advisor's estimate from its timed steps; without one,
     * three times the two-block step for unfreezing all six blocks after two, and otherwise the
     * step before (a deeper step never costs less).
     */
    static double estimate(String next, List<AutoFit.Step> steps, Advice advice) {
        for (StrategyEstimate e : advice.estimates()) {
            if (e.strategy().equals(next)) {
                return e.estimatedSeconds();
            }
        }
        AutoFit.Step last = steps.get(steps.size() - 1);
        if (last.strategy().equals("two-stage:2") && (next.equals("two-stage") || next.equals("full"))) {
            return last.seconds() * 3;
        }
        return last.seconds();
    }
}
