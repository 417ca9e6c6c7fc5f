package dev.graft;

import dev.graft.adapt.PlanOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbones;
import dev.graft.data.TextLoadOptions;
import dev.graft.train.HeadSpec;
import dev.graft.train.HeadTrainingConfig;
import java.nio.file.Path;

/**
 * Everything {@link Graft#fit} needs. Start from {@link #of(Path, Path)} and use the withers.
 *
 * @param data labelled training data (CSV, TSV or JSONL)
 * @param validationData optional separate validation file, else split from {@code data}
 * @param testData optional separate test file, else split from {@code data}
 * @param loadOptions column names and strictness
 * @param backbone backbone id
 * @param strategy how to adapt the backbone
 * @param maxLength truncation length in tokens
 * @param head head architecture
 * @param training head-training hyperparameters (its seed also drives the split)
 * @param validationFraction share of {@code data} held out for validation when no file is given
 * @param testFraction share of {@code data} held out for testing when no file is given
 * @param batchSize texts per backbone forward pass
 * @param out bundle to write: a directory, or a file ending in {@code .graft}
 * @param planOptions learning rates, budgets and schedule of strategies that fine-tune
 * @param checkpointDir where fine-tuning checkpoints (and resumes); null for {@code <out>.checkpoint}
 * @param log JSONL file receiving one line per epoch; null for {@code <out>.log.jsonl}
 * @param notes the caller's own notes (e.g. a command line's output options), stored with the request in
 *     checkpoints so that a resume needs only the checkpoint directory
 * @param classWeighting whether the loss weighs rare classes up
 * @param images BatchNorm policy, augmentation and cached views for image backbones
 * @param headSearch which heads compete when the head trains on frozen features (each regularised
 *     by cross-validation)
 */
public record FitRequest(Path data, Path validationData, Path testData, TextLoadOptions loadOptions, String backbone,
        Strategy strategy, int maxLength, HeadSpec head, HeadTrainingConfig training, double validationFraction,
        double testFraction, int batchSize, Path out, PlanOptions planOptions, Path checkpointDir, Path log,
        java.util.Map<String, String> notes, dev.graft.train.ClassWeighting classWeighting,
        dev.graft.image.ImageOptions images, dev.graft.train.HeadSelection.Search headSearch) {

    /** Default truncation length in tokens. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    /**
     * @param data training data
     * @param out where to write the bundle
     * @return a request with every default: MiniLM, feature extraction, 10 % held out for validation
     *     (which feature extraction also trains on, choosing its head by cross-validation), no test split
     */
    public static FitRequest of(Path data, Path out) {
        return new FitRequest(data, null, null, TextLoadOptions.defaults(), Backbones.DEFAULT,
                Strategy.featureExtraction(), DEFAULT_MAX_LENGTH, HeadSpec.defaults(), HeadTrainingConfig.defaults(),
                0.1, 0.0, 32, out, PlanOptions.defaults(), null, null, java.util.Map.of(),
                dev.graft.train.ClassWeighting.AUTO, dev.graft.image.ImageOptions.defaults(),
                dev.graft.train.HeadSelection.Search.ALL);
    }

    /** {@return a copy with other load options} */
    public FitRequest withLoadOptions(TextLoadOptions value) {
        return new FitRequest(data, validationData, testData, value, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with separate validation and test files (either may be null)} */
    public FitRequest withHeldOut(Path validation, Path test) {
        return new FitRequest(data, validation, test, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with another backbone, strategy and truncation length} */
    public FitRequest withBackbone(String id, Strategy value, int length) {
        return new FitRequest(data, validationData, testData, loadOptions, id, value, length, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with another head and training configuration} */
    public FitRequest withHead(HeadSpec spec, HeadTrainingConfig config) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, spec, config,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with fine-tuning options} */
    public FitRequest withPlanOptions(PlanOptions value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, value, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with another checkpoint directory and epoch log (null for the defaults next to {@code out})} */
    public FitRequest withRun(Path checkpoints, Path logFile) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpoints, logFile, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy carrying the caller's notes, stored with the request in checkpoints} */
    public FitRequest withNotes(java.util.Map<String, String> value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, java.util.Map.copyOf(value),
                classWeighting, images, headSearch);
    }

    /** {@return a copy with another strategy} */
    public FitRequest withStrategy(Strategy value) {
        return withBackbone(backbone, value, maxLength);
    }

    /** {@return a copy reading another training file} */
    public FitRequest withData(Path value) {
        return new FitRequest(value, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with another class-weighting policy} */
    public FitRequest withClassWeighting(dev.graft.train.ClassWeighting value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, value, images, headSearch);
    }

    /** {@return a copy writing its bundle (and by default its checkpoint and log) to another place} */
    public FitRequest withOut(Path value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, value, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /** {@return a copy with other image options} */
    public FitRequest withImages(dev.graft.image.ImageOptions value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, value, headSearch);
    }

    /** {@return a copy in which other heads compete on frozen features} */
    public FitRequest withHeadSearch(dev.graft.train.HeadSelection.Search value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images,
                value);
    }

    /** {@return a copy holding out another share of {@code data} for testing (0 for none) when no test file is given} */
    public FitRequest withHoldout(double fraction) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, fraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images,
                headSearch);
    }

    /** {@return the checkpoint directory to use} */
    public Path checkpointDirOrDefault() {
        return checkpointDir != null ? checkpointDir : out.resolveSibling(out.getFileName() + ".checkpoint");
    }

    /** {@return the epoch log to write} */
    public Path logOrDefault() {
        return log != null ? log : out.resolveSibling(out.getFileName() + ".log.jsonl");
    }

    /** {@return the head search of this request, with its seed and MLP training settings} */
    public dev.graft.train.HeadSelection.Options headSelection() {
        dev.graft.train.HeadSelection.Options d = dev.graft.train.HeadSelection.Options.defaults();
        int hidden = head.hidden() > 0 ? head.hidden() : d.mlpHidden();
        return new dev.graft.train.HeadSelection.Options(headSearch, hidden, d.folds(), d.gridSize(), training);
    }
}
