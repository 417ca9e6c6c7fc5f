package dev.graft;

import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.bundle.BundleClassifier;
import dev.graft.data.TextExample;
import dev.graft.train.ClassWeighting;
import dev.graft.train.EpochRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fits a classifier from labelled examples in memory (or a file), with every option defaulted as
 * {@code graft fit} defaults it. Start from {@link Graft#textClassifier()} or
 * {@link Graft#imageClassifier()}; without a strategy it runs {@code auto}: feature extraction first,
 * fine-tuning only when the advisor and the measured accuracy call for it.
 *
 * <pre>{@code
 * try (Classifier spam = Graft.textClassifier().fit(examples)) {
 *     Prediction p = spam.predict("WIN a FREE cruise, reply now");
 * }
 * }</pre>
 */
public final class ClassifierBuilder {

    private FitRequest request;
    private boolean auto = true;
    private Integer epochs;
    private AutoFit.Options autoOptions = AutoFit.Options.defaults();
    private final List<FitListener> listeners = new ArrayList<>();

    ClassifierBuilder(String backbone) {
        request = FitRequest.of(null, null).withBackbone(backbone, Strategy.featureExtraction(), FitRequest.DEFAULT_MAX_LENGTH);
    }

    /**
     * Sets the frozen or fine-tuned network the classifier is built on.
     *
     * @param id a backbone id: {@code minilm} (default for text), {@code bge-small}, {@code mobilenetv2}
     *     (default for images), {@code smallcnn}, {@code hf:DIR}, {@code onnx:FILE}, …
     * @return this builder
     */
    public ClassifierBuilder backbone(String id) {
        request = request.withBackbone(id, request.strategy(), request.maxLength());
        return this;
    }

    /**
     * Sets how the backbone is adapted, by name; {@code auto} restores the default.
     *
     * @param strategy how to adapt the backbone, e.g. {@code feature-extraction}, {@code partial:2},
     *     {@code two-stage}, {@code full}, {@code gradual}, {@code lora}, {@code prefix}, or {@code auto}
     * @return this builder
     */
    public ClassifierBuilder strategy(String strategy) {
        if (strategy.strip().equals("auto")) {
            auto = true;
            return this;
        }
        return strategy(Strategy.parse(strategy));
    }

    /**
     * Sets how the backbone is adapted, turning {@code auto} off.
     *
     * @param strategy how to adapt the backbone
     * @return this builder
     */
    public ClassifierBuilder strategy(Strategy strategy) {
        auto = false;
        request = request.withBackbone(request.backbone(), strategy, request.maxLength());
        return this;
    }

    /**
     * Sets the arithmetic of frozen features.
     *
     * @param value {@link Precision#INT8} computes frozen features on int8 weights (faster on CPUs,
     *     with quantisation noise; BERT text encoders; strategies that fine-tune train in fp32)
     * @return this builder
     */
    public ClassifierBuilder precision(Precision value) {
        request = request.withPrecision(value);
        return this;
    }

    /**
     * Sets how many tokens of each text the backbone reads; longer texts are truncated.
     *
     * @param tokens truncation length of texts (default 128)
     * @return this builder
     */
    public ClassifierBuilder maxLength(int tokens) {
        request = request.withBackbone(request.backbone(), request.strategy(), tokens);
        return this;
    }

    /**
     * Sets the number of training epochs.
     *
     * @param value epochs of head training under feature extraction, else of each stage that trains the
     *     backbone (default: automatic for the head, 3 per backbone stage)
     * @return this builder
     */
    public ClassifierBuilder epochs(int value) {
        epochs = value;
        return this;
    }

    /**
     * Sets the random seed, for reproducible fits.
     *
     * @param value the seed of the split, initialisation and shuffling (default 42); the same seed
     *     and data give the same model
     * @return this builder
     */
    public ClassifierBuilder seed(long value) {
        request = request.withTraining(request.training().withSeed(value));
        return this;
    }

    /**
     * Replaces every training hyperparameter, the seed included (so call {@link #seed} after it);
     * {@link #epochs} applies on top.
     *
     * @param options learning rates, budgets, batch size, schedule and seed
     * @return this builder
     */
    public ClassifierBuilder training(TrainingOptions options) {
        request = request.withTraining(options);
        return this;
    }

    /**
     * Sets whether the loss weighs rare classes up.
     *
     * @param weighting whether rare classes weigh more in the loss (default {@code AUTO}: when the
     *     classes are imbalanced)
     * @return this builder
     */
    public ClassifierBuilder classWeighting(ClassWeighting weighting) {
        request = request.withClassWeighting(weighting);
        return this;
    }

    /**
     * Holds a share of the training examples out for a test score.
     *
     * @param fraction share of the training examples held out for a test score when no test set is
     *     given (default 0)
     * @return this builder
     */
    public ClassifierBuilder holdout(double fraction) {
        request = request.withHoldout(fraction);
        return this;
    }

    /**
     * Sets when strategy {@code auto} stops trying deeper fine-tuning.
     *
     * @param targetMacroF1 under {@code auto}, stop once validation macro-F1 reaches this
     * @param budgetSeconds under {@code auto}, wall-clock budget for all steps
     * @return this builder
     */
    public ClassifierBuilder autoLimits(double targetMacroF1, double budgetSeconds) {
        autoOptions = new AutoFit.Options(targetMacroF1, budgetSeconds);
        return this;
    }

    /**
     * Keeps the fitted bundle at a path of the caller's choosing.
     *
     * @param path where to keep the bundle (a directory, or a file ending in {@code .graft}); by
     *     default it is written to a temporary directory that closing the classifier deletes
     * @return this builder
     */
    public ClassifierBuilder saveTo(Path path) {
        request = request.withOut(path);
        return this;
    }

    /**
     * Adds a listener that hears the fit.
     *
     * @param listener hears status lines, progress and epochs (several may be added)
     * @return this builder
     */
    public ClassifierBuilder listener(FitListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Adds a callback for every finished epoch.
     *
     * @param onEpoch hears every finished epoch (validation loss, metrics, learning rate)
     * @return this builder
     */
    public ClassifierBuilder onEpoch(Consumer<EpochRecord> onEpoch) {
        return listener(new FitListener() {
            @Override
            public void epoch(EpochRecord epoch) {
                onEpoch.accept(epoch);
            }
        });
    }

    /**
     * Adds a callback for every status line.
     *
     * @param onInfo hears every status line (data, features, choices, results)
     * @return this builder
     */
    public ClassifierBuilder onInfo(Consumer<String> onInfo) {
        return listener(new FitListener() {
            @Override
            public void info(String line) {
                onInfo.accept(line);
            }
        });
    }

    /**
     * Fits on the examples, holding 10 % out for validation.
     *
     * @param examples labelled examples
     * @return the fitted classifier; close it when done
     * @throws GraftException if the examples or options are unusable, e.g. fewer than two classes
     */
    public BundleClassifier fit(Iterable<Example> examples) {
        return fit(examples, null, null);
    }

    /**
     * Fits on a stream of examples, holding 10 % out for validation.
     *
     * @param examples labelled examples
     * @return the fitted classifier; close it when done
     * @throws GraftException if the examples or options are unusable, e.g. fewer than two classes
     */
    public BundleClassifier fit(Stream<Example> examples) {
        return fit(examples.toList(), null, null);
    }

    /**
     * Fits on training examples, validating on separate examples.
     *
     * @param train labelled training examples
     * @param validation labelled validation examples (early stopping, choices, the reported score)
     * @return the fitted classifier; close it when done
     * @throws GraftException if the examples or options are unusable, e.g. fewer than two classes
     */
    public BundleClassifier fit(Iterable<Example> train, Iterable<Example> validation) {
        return fit(train, validation, null);
    }

    /**
     * Fits on training examples, with optional separate validation and test examples.
     *
     * @param train labelled training examples
     * @param validation labelled validation examples, or null to hold 10 % of {@code train} out
     * @param test labelled test examples scored once at the end, or null for none
     * @return the fitted classifier; close it when done
     * @throws GraftException if the examples or options are unusable, e.g. fewer than two classes
     */
    public BundleClassifier fit(Iterable<Example> train, Iterable<Example> validation, Iterable<Example> test) {
        FitRequest r = finished(request);
        return fitted(r, FitData.inMemory(r, rows(train), validation == null ? null : rows(validation),
                test == null ? null : rows(test)));
    }

    /**
     * Fits on a labelled file (CSV, TSV or JSONL with {@code text} and {@code label} columns, or an
     * image folder with one subfolder per class).
     *
     * @param data the file or folder
     * @return the fitted classifier; close it when done
     * @throws GraftException if the data cannot be read or is unusable, or an option is out of range
     */
    public BundleClassifier fit(Path data) {
        FitRequest r = finished(request.withData(data));
        return fitted(r, FitData.load(r, listener()));
    }

    private BundleClassifier fitted(FitRequest r, FitData data) {
        boolean temporary = request.out() == null;
        Path out = r.out();
        try {
            if (temporary) {
                out = Files.createTempDirectory("graft-").resolve("model");
                r = r.withOut(out);
            }
            FitListener listener = listener();
            Path written = auto ? AutoFit.run(data, r, autoOptions, listener).best().bundle()
                    : Graft.fit(data, r, listener).bundle();
            return BundleClassifier.load(written, null, temporary ? out.getParent() : null);
        } catch (IOException e) {
            throw new GraftException("cannot create a temporary directory for the model: " + e.getMessage(), e);
        }
    }

    private FitRequest finished(FitRequest r) {
        if (epochs == null) {
            return r;
        }
        return r.withTraining(r.training().withEpochs(epochs));
    }

    private FitListener listener() {
        List<FitListener> all = List.copyOf(listeners);
        return new FitListener() {
            @Override
            public void info(String line) {
                all.forEach(l -> l.info(line));
            }

            @Override
            public dev.graft.train.Progress progress() {
                return all.stream().map(FitListener::progress).filter(p -> p != dev.graft.train.Progress.NONE).findFirst()
                        .orElse(dev.graft.train.Progress.NONE);
            }

            @Override
            public void epoch(EpochRecord epoch) {
                all.forEach(l -> l.epoch(epoch));
            }
        };
    }

    private static List<TextExample> rows(Iterable<Example> examples) {
        List<TextExample> rows = new ArrayList<>();
        for (Example e : examples) {
            rows.add(new TextExample(e.input(), e.label()));
        }
        if (rows.isEmpty()) {
            throw new GraftException("no examples to fit on; give at least two labelled examples per class");
        }
        return rows;
    }

}
