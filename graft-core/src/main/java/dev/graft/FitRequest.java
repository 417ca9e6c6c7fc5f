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
     * Starts a request with every default: MiniLM, feature extraction, 10 % held out for validation
     *     (which feature extraction also trains on, choosing its head by cross-validation), no test split.
     *
     * @param data labelled training data (CSV, TSV or JSONL)
     * @param out where to write the bundle: a directory, or a file ending in {@code .graft}
     * @return a request with every default
     */
    public static FitRequest of(Path data, Path out) {
        return new FitRequest(data, null, null, TextLoadOptions.defaults(), Backbones.DEFAULT,
                Strategy.featureExtraction(), DEFAULT_MAX_LENGTH, HeadSpec.defaults(), HeadTrainingConfig.defaults(),
                0.1, 0.0, 32, out, PlanOptions.defaults(), null, null, java.util.Map.of(),
                dev.graft.train.ClassWeighting.AUTO, dev.graft.image.ImageOptions.defaults(),
                dev.graft.train.HeadSelection.Search.ALL);
    }

    /**
     * Returns a copy with other load options.
     *
     * @param value column names and strictness of reading the data files
     * @return a copy with these load options, other fields unchanged
     */
    public FitRequest withLoadOptions(TextLoadOptions value) {
        return new FitRequest(data, validationData, testData, value, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with separate validation and test files.
     *
     * @param validation the validation file, or null to split validation off the training data
     * @param test the test file, or null to split a test part off only if a holdout is set
     * @return a copy with these held-out files, other fields unchanged
     */
    public FitRequest withHeldOut(Path validation, Path test) {
        return new FitRequest(data, validation, test, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with another backbone, strategy and truncation length.
     *
     * @param id backbone id, e.g. {@code minilm}
     * @param value how to adapt the backbone
     * @param length truncation length in tokens
     * @return a copy with these, other fields unchanged
     */
    public FitRequest withBackbone(String id, Strategy value, int length) {
        return new FitRequest(data, validationData, testData, loadOptions, id, value, length, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with another head and head-training configuration.
     *
     * @param spec the head architecture
     * @param config head-training hyperparameters; its seed also drives the split
     * @return a copy with these, other fields unchanged
     */
    public FitRequest withHead(HeadSpec spec, HeadTrainingConfig config) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, spec, config,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with other fine-tuning options.
     *
     * @param value learning rates, budgets and schedule of the strategies that fine-tune
     * @return a copy with these options, other fields unchanged
     */
    public FitRequest withPlanOptions(PlanOptions value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, value, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with another checkpoint directory and epoch log.
     *
     * @param checkpoints where fine-tuning checkpoints and resumes, or null for {@code <out>.checkpoint}
     * @param logFile the JSONL epoch log, or null for {@code <out>.log.jsonl}
     * @return a copy with these, other fields unchanged
     */
    public FitRequest withRun(Path checkpoints, Path logFile) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpoints, logFile, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy carrying the caller's notes, stored with the request in checkpoints.
     *
     * @param value the notes, e.g. a command line's output options; copied, not null
     * @return a copy with these notes, other fields unchanged
     */
    public FitRequest withNotes(java.util.Map<String, String> value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, java.util.Map.copyOf(value),
                classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with another strategy, keeping the backbone and truncation length.
     *
     * @param value how to adapt the backbone
     * @return a copy with this strategy, other fields unchanged
     */
    public FitRequest withStrategy(Strategy value) {
        return withBackbone(backbone, value, maxLength);
    }

    /**
     * Returns a copy reading another training file.
     *
     * @param value labelled training data (CSV, TSV or JSONL)
     * @return a copy reading {@code value}, other fields unchanged
     */
    public FitRequest withData(Path value) {
        return new FitRequest(value, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with another class-weighting policy.
     *
     * @param value whether the loss weighs rare classes up
     * @return a copy with this policy, other fields unchanged
     */
    public FitRequest withClassWeighting(dev.graft.train.ClassWeighting value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, value, images, headSearch);
    }

    /**
     * Returns a copy writing its bundle (and by default its checkpoint and log) to another place.
     *
     * @param value the bundle to write: a directory, or a file ending in {@code .graft}
     * @return a copy writing to {@code value}, other fields unchanged
     */
    public FitRequest withOut(Path value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, value, planOptions, checkpointDir, log, notes, classWeighting, images, headSearch);
    }

    /**
     * Returns a copy with other image options.
     *
     * @param value BatchNorm policy, augmentation and cached views for image backbones
     * @return a copy with these options, other fields unchanged
     */
    public FitRequest withImages(dev.graft.image.ImageOptions value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, value, headSearch);
    }

    /**
     * Returns a copy in which other heads compete on frozen features.
     *
     * @param value which heads compete when the head trains on frozen features
     * @return a copy with this head search, other fields unchanged
     */
    public FitRequest withHeadSearch(dev.graft.train.HeadSelection.Search value) {
        return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head, training,
                validationFraction, testFraction, batchSize, out, planOptions, checkpointDir, log, notes, classWeighting, images,
                value);
    }

    /**
     * Returns a copy holding out another share of {@code data} for testing when no test file is given.
     *
     * @param fraction share of the training data held out for testing, 0 for none
     * @return a copy with this test fraction, other fields unchanged
     */
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
