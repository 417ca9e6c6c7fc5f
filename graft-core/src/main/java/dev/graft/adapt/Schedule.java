package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * The learning-rate factor over a stage, from 0 to 1 of its steps.
 *
 * @param kind {@code warmup-cosine} (linear warm-up, cosine decay to 1 %), {@code one-cycle}
 *     (linear rise for 30 %, cosine fall to 0.04 %), or {@code constant}
 * @param warmupFraction share of the stage spent warming up (warmup-cosine), at most one epoch
 */
public record Schedule(String kind, double warmupFraction) {

    /**
     * Checks the kind and that the warm-up fraction is in [0, 1).
     *
     * @param kind {@code warmup-cosine} (linear warm-up, cosine decay to 1 %), {@code one-cycle}
     *     (linear rise for 30 %, cosine fall to 0.04 %), or {@code constant}
     * @param warmupFraction share of the stage spent warming up (warmup-cosine), at most one epoch
     */
    public Schedule {
        if (!kind.equals("warmup-cosine") && !kind.equals("one-cycle") && !kind.equals("constant")) {
            throw new GraftException(Parameter.SCHEDULE, kind, "is unknown; use warmup-cosine, one-cycle or constant");
        }
        if (warmupFraction < 0 || warmupFraction >= 1) {
            throw new GraftException("warm-up fraction " + warmupFraction + " must be in [0, 1)");
        }
    }

    /** {@return warm-up over the first 10 % of each stage, then cosine decay} */
    public static Schedule defaults() {
        return new Schedule("warmup-cosine", 0.1);
    }

    /**
     * Computes the learning-rate factor at one step of a stage.
     *
     * @param step 0-based step within the stage
     * @param totalSteps steps the stage may take
     * @param stepsPerEpoch steps in one epoch (warm-up lasts at most that long)
     * @return the factor applied to every group's learning rate
     */
    public double factor(long step, long totalSteps, long stepsPerEpoch) {
        double t = totalSteps <= 1 ? 0 : Math.min(1.0, (double) step / (totalSteps - 1));
        return switch (kind) {
            case "constant" -> 1.0;
            case "one-cycle" -> t < 0.3 ? 0.04 + 0.96 * t / 0.3 : 0.0004 + (1 - 0.0004) * 0.5 * (1 + Math.cos(Math.PI * (t - 0.3) / 0.7));
            default -> {
                long warm = Math.min(stepsPerEpoch, Math.round(warmupFraction * totalSteps));
                if (step < warm) {
                    yield (step + 1.0) / (warm + 1.0);
                }
                double u = totalSteps - warm <= 1 ? 0 : (double) (step - warm) / (totalSteps - warm - 1);
                yield 0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, u)));
            }
        };
    }
}
