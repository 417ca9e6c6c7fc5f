package dev.graft.compare;

import dev.graft.FitRequest;
import dev.graft.adapt.PlanOptions;
import dev.graft.adapt.Strategy;
import dev.graft.train.ClassWeighting;
import dev.graft.train.HeadSpec;
import java.nio.file.Path;

/**
 * One run of a comparison as the parent hands it to a {@link CompareWorker} process (JSON).
 *
 * @param train training file of the shared split
 * @param validation validation file
 * @param test test file
 * @param backbone backbone id
 * @param maxLength tokens per text
 * @param headHidden head hidden size (0 = linear)
 * @param headDropout head dropout
 * @param headSearch which heads compete on frozen features (null: all)
 * @param strategy strategy name
 * @param seed training seed
 * @param planOptions fine-tuning options, with the comparison's epoch budget
 * @param classWeighting class weighting name
 * @param out bundle to write
 * @param log JSONL epoch log
 * @param checkpoints checkpoint directory
 */
public record RunSpec(Path train, Path validation, Path test, String backbone, int maxLength, int headHidden,
        double headDropout, dev.graft.train.HeadSelection.Search headSearch, String strategy, long seed, PlanOptions planOptions, String classWeighting, Path out, Path log,
        Path checkpoints) {

    /** @return the fit request this run makes */
    public FitRequest request() {
        return FitRequest.of(train, out)
                .withHeldOut(validation, test)
                .withBackbone(backbone, Strategy.parse(strategy), maxLength)
                .withHead(new HeadSpec(headHidden, headDropout), dev.graft.train.HeadTrainingConfig.defaults().withSeed(seed))
                .withHeadSearch(headSearch == null ? dev.graft.train.HeadSelection.Search.ALL : headSearch)
                .withPlanOptions(planOptions)
                .withClassWeighting(ClassWeighting.parse(classWeighting))
                .withRun(checkpoints, log, java.util.List.of("compare", strategy, "seed", Long.toString(seed)));
    }
}
