package dev.graft.compare;

import dev.graft.adapt.FineTunePlan;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * One strategy fitted with one seed.
 *
 * @param strategy e.g. {@code partial:2}
 * @param seed initialisation and shuffling seed
 * @param validation metrics on the shared validation split
 * @param test metrics on the shared test split
 * @param seconds wall time of the fit (the shared feature extraction excluded, see {@link Comparison.Result#featureSeconds})
 * @param peakBytes peak resident memory of the process during the fit, or -1 when unknown
 * @param trainableParameters parameters the strategy trains (backbone, adapters and head)
 * @param totalParameters all parameters of the model
 * @param samplesSeen training examples processed, summed over epochs
 * @param trainingFlops estimated floating-point operations of the fit ({@link ComputeEstimate})
 * @param plan the plan that was run, or null for feature extraction
 * @param history every epoch, as the run's JSONL log recorded it
 * @param log the run's JSONL epoch log
 * @param bundle the saved model
 */
public record ComparedRun(String strategy, long seed, ClassificationMetrics validation, ClassificationMetrics test,
        double seconds, long peakBytes, long trainableParameters, long totalParameters, long samplesSeen,
        double trainingFlops, FineTunePlan plan, List<EpochRecord> history, Path log, Path bundle) {}
