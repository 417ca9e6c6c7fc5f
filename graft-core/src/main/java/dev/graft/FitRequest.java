package dev.graft;

import dev.graft.adapt.Strategy;
import dev.graft.adapt.TrainingOptions;
import dev.graft.backbone.Backbones;
import dev.graft.data.TextLoadOptions;
import dev.graft.train.HeadSpec;
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
 * @param training every training hyperparameter: learning rates, budgets, schedule, seed (which also drives
 *     the split)
 * @param validationFraction share of {@code data} held out for validation when no file is given
 * @param testFraction share of {@code data} held out for testing when no file is given
 * @param batchSize texts per backbone forward pass
 * @param out bundle to write: a directory, or a file ending in {@code .graft}
 * @param checkpointDir where fine-tuning checkpoints (and resumes); null for {@code <out>.checkpoint}
 * @param log JSONL file receiving one line per epoch; null for {@code <out>.log.jsonl}
 * @param notes the caller's own notes (e.g. a command line's output options), stored with the request in
 *     checkpoints so that a resume needs only the checkpoint directory
 * @param classWeighting whether the loss weighs rare classes up
 * @param images BatchNorm policy, augmentation and cached views for image backbones
 * @param headSearch which heads compete when the head trains on frozen features (each regularised
 *     by cross-validation)
 * @param precision the arithmetic of frozen features: {@link Precision#INT8} computes them on int8
 *     weights (faster, with quantisation noise); fine-tuning always trains in float32
 */
public record FitRequest(Path data, Path validationData, Path testData, TextLoadOptions loadOptions, String backbone,
        Strategy strategy, int maxLength, HeadSpec head, TrainingOptions training, double validationFraction,
        double testFraction, int batchSize, Path out, Path checkpointDir, Path log,
        java.util.Map<String, String> notes, dev.graft.train.ClassWeighting classWeighting,
        dev.graft.image.ImageOptions images, dev.graft.train.HeadSelection.Search headSearch, Precision precision) {

    /**
     * Reads a missing precision (a request stored before there was one) as float32.
     *
     * @param data labelled training data (CSV, TSV or JSONL)
     * @param validationData optional separate validation file, else split from {@code data}
     * @param testData optional separate test file, else split from {@code data}
     * @param loadOptions column names and strictness
     * @param backbone backbone id
     * @param strategy how to adapt the backbone
     * @param maxLength truncation length in tokens
     * @param head head architecture
     * @param training every training hyperparameter
     * @param validationFraction share of {@code data} held out for validation when no file is given
     * @param testFraction share of {@code data} held out for testing when no file is given
     * @param batchSize texts per backbone forward pass
     * @param out bundle to write: a directory, or a file ending in {@code .graft}
     * @param checkpointDir where fine-tuning checkpoints (and resumes); null for {@code <out>.checkpoint}
     * @param log JSONL file receiving one line per epoch; null for {@code <out>.log.jsonl}
     * @param notes the caller's own notes, stored with the request in checkpoints
     * @param classWeighting whether the loss weighs rare classes up
     * @param images BatchNorm policy, augmentation and cached views for image backbones
     * @param headSearch which heads compete when the head trains on frozen features
     * @param precision the arithmetic of frozen features; null reads as {@link Precision#FP32}
     */
    public FitRequest {
        precision = precision == null ? Precision.FP32 : precision;
    }

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
                Strategy.featureExtraction(), DEFAULT_MAX_LENGTH, HeadSpec.defaults(), TrainingOptions.defaults(),
                0.1, 0.0, 32, out, null, null, java.util.Map.of(),
                dev.graft.train.ClassWeighting.AUTO, dev.graft.image.ImageOptions.defaults(),
                dev.graft.train.HeadSelection.Search.ALL, Precision.FP32);
    }

    /**
     * Returns a copy with other load options.
     *
     * @param value column names and strictness of reading the data files
     * @return a copy with these load options, other fields unchanged
     */
    public FitRequest withLoadOptions(TextLoadOptions value) {
        return with(d -> d.loadOptions = value);
    }

    /**
     * Returns a copy with separate validation and test files.
     *
     * @param validation the validation file, or null to split validation off the training data
     * @param test the test file, or null to split a test part off only if a holdout is set
     * @return a copy with these held-out files, other fields unchanged
     */
    public FitRequest withHeldOut(Path validation, Path test) {
        return with(d -> {
            d.validationData = validation;
            d.testData = test;
        });
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
        return with(d -> {
            d.backbone = id;
            d.strategy = value;
            d.maxLength = length;
        });
    }

    /**
     * Returns a copy with another head architecture.
     *
     * @param spec the head architecture
     * @return a copy with this head, other fields unchanged
     */
    public FitRequest withHead(HeadSpec spec) {
        return with(d -> d.head = spec);
    }

    /**
     * Returns a copy with other training hyperparameters.
     *
     * @param value learning rates, budgets, schedule and seed; the seed also drives the split
     * @return a copy with these options, other fields unchanged
     */
    public FitRequest withTraining(TrainingOptions value) {
        return with(d -> d.training = value);
    }

    /**
     * Returns a copy with another checkpoint directory and epoch log.
     *
     * @param checkpoints where fine-tuning checkpoints and resumes, or null for {@code <out>.checkpoint}
     * @param logFile the JSONL epoch log, or null for {@code <out>.log.jsonl}
     * @return a copy with these, other fields unchanged
     */
    public FitRequest withRun(Path checkpoints, Path logFile) {
        return with(d -> {
            d.checkpointDir = checkpoints;
            d.log = logFile;
        });
    }

    /**
     * Returns a copy carrying the caller's notes, stored with the request in checkpoints.
     *
     * @param value the notes, e.g. a command line's output options; copied, not null
     * @return a copy with these notes, other fields unchanged
     */
    public FitRequest withNotes(java.util.Map<String, String> value) {
        return with(d -> d.notes = java.util.Map.copyOf(value));
    }

    /**
     * Returns a copy with another strategy, keeping the backbone and truncation length.
     *
     * @param value how to adapt the backbone
     * @return a copy with this strategy, other fields unchanged
     */
    public FitRequest withStrategy(Strategy value) {
        return with(d -> d.strategy = value);
    }

    /**
     * Returns a copy that runs another strategy on the same options, as {@code auto}'s steps,
     * {@code compare}'s runs and a server's background fine-tune do: the precision holds for feature
     * extraction, and a strategy that trains the backbone runs in fp32 (where
     * {@link #withStrategy} keeps the precision, which {@link Graft#fit} then refuses).
     *
     * @param value how to adapt the backbone
     * @return a copy with this strategy, in fp32 unless it keeps the backbone frozen
     */
    public FitRequest withDerivedStrategy(Strategy value) {
        return with(d -> {
            d.strategy = value;
            if (!(value instanceof Strategy.FeatureExtraction)) {
                d.precision = Precision.FP32;
            }
        });
    }

    /**
     * Returns a copy reading another training file.
     *
     * @param value labelled training data (CSV, TSV or JSONL)
     * @return a copy reading {@code value}, other fields unchanged
     */
    public FitRequest withData(Path value) {
        return with(d -> d.data = value);
    }

    /**
     * Returns a copy with another class-weighting policy.
     *
     * @param value whether the loss weighs rare classes up
     * @return a copy with this policy, other fields unchanged
     */
    public FitRequest withClassWeighting(dev.graft.train.ClassWeighting value) {
        return with(d -> d.classWeighting = value);
    }

    /**
     * Returns a copy writing its bundle (and by default its checkpoint and log) to another place.
     *
     * @param value the bundle to write: a directory, or a file ending in {@code .graft}
     * @return a copy writing to {@code value}, other fields unchanged
     */
    public FitRequest withOut(Path value) {
        return with(d -> d.out = value);
    }

    /**
     * Returns a copy with other image options.
     *
     * @param value BatchNorm policy, augmentation and cached views for image backbones
     * @return a copy with these options, other fields unchanged
     */
    public FitRequest withImages(dev.graft.image.ImageOptions value) {
        return with(d -> d.images = value);
    }

    /**
     * Returns a copy in which other heads compete on frozen features.
     *
     * @param value which heads compete when the head trains on frozen features
     * @return a copy with this head search, other fields unchanged
     */
    public FitRequest withHeadSearch(dev.graft.train.HeadSelection.Search value) {
        return with(d -> d.headSearch = value);
    }

    /**
     * Returns a copy computing frozen features in another precision.
     *
     * @param value {@link Precision#FP32}, or {@link Precision#INT8} for int8 frozen features
     * @return a copy with this precision, other fields unchanged
     */
    public FitRequest withPrecision(Precision value) {
        return with(d -> d.precision = value);
    }

    /**
     * Returns a copy holding out another share of {@code data} for testing when no test file is given.
     *
     * @param fraction share of the training data held out for testing, 0 for none
     * @return a copy with this test fraction, other fields unchanged
     */
    public FitRequest withHoldout(double fraction) {
        return with(d -> d.testFraction = fraction);
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
        return new dev.graft.train.HeadSelection.Options(headSearch, hidden, d.folds(), d.gridSize(),
                dev.graft.train.HeadTrainingConfig.forFrozenFeatures(training));
    }

    private FitRequest with(java.util.function.Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** A request's fields, open for one wither to change before it builds the copy. */
    private static final class Draft {
        Path data;
        Path validationData;
        Path testData;
        TextLoadOptions loadOptions;
        String backbone;
        Strategy strategy;
        int maxLength;
        HeadSpec head;
        TrainingOptions training;
        double validationFraction;
        double testFraction;
        int batchSize;
        Path out;
        Path checkpointDir;
        Path log;
        java.util.Map<String, String> notes;
        dev.graft.train.ClassWeighting classWeighting;
        dev.graft.image.ImageOptions images;
        dev.graft.train.HeadSelection.Search headSearch;
        Precision precision;

        Draft(FitRequest r) {
            data = r.data;
            validationData = r.validationData;
            testData = r.testData;
            loadOptions = r.loadOptions;
            backbone = r.backbone;
            strategy = r.strategy;
            maxLength = r.maxLength;
            head = r.head;
            training = r.training;
            validationFraction = r.validationFraction;
            testFraction = r.testFraction;
            batchSize = r.batchSize;
            out = r.out;
            checkpointDir = r.checkpointDir;
            log = r.log;
            notes = r.notes;
            classWeighting = r.classWeighting;
            images = r.images;
            headSearch = r.headSearch;
            precision = r.precision;
        }

        FitRequest build() {
            return new FitRequest(data, validationData, testData, loadOptions, backbone, strategy, maxLength, head,
                    training, validationFraction, testFraction, batchSize, out, checkpointDir, log, notes,
                    classWeighting, images, headSearch, precision);
        }
    }
}
