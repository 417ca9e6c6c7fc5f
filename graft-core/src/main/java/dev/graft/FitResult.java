package dev.graft;

import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Graft#fit} produced.
 *
 * @param bundle the written bundle
 * @param validation metrics on the validation set
 * @param test metrics on the test set, or null when there is no test set
 * @param bestEpoch the epoch whose weights were kept
 * @param history every epoch of head training
 * @param featuresComputed texts run through the backbone in this fit (the rest came from the cache)
 * @param featureSeconds wall time of feature extraction, cache reads included
 * @param trainSeconds wall time of head training
 * @param trainableParameters parameters that training changed
 * @param totalParameters all parameters of backbone and head
 * @param validationSource where the validation metrics come from: {@code validation split},
 *     {@code validation file}, or {@code out-of-fold} (cross-validated predictions of rows the head
 *     then trained on, when feature extraction pooled Graft's validation split into its training rows)
 */
public record FitResult(Path bundle, ClassificationMetrics validation, ClassificationMetrics test, int bestEpoch,
        List<EpochRecord> history, int featuresComputed, double featureSeconds, double trainSeconds,
        long trainableParameters, long totalParameters, String validationSource) {}
