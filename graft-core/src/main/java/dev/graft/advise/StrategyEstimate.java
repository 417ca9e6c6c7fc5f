package dev.graft.advise;

/**
 * What one strategy would cost on this data and this machine, from timed steps.
 *
 * @param strategy the strategy's command-line name
 * @param trainableParameters parameters it trains, head included
 * @param secondsPerExample measured seconds per training example and epoch (0 for head-only training)
 * @param estimatedSeconds estimated wall time of {@code graft fit} with the default budget, features already cached
 * @param peakBytes measured peak resident memory of the timed steps plus the freeze-boundary cache it would hold, or -1
 */
public record StrategyEstimate(String strategy, long trainableParameters, double secondsPerExample,
        double estimatedSeconds, long peakBytes) {}
