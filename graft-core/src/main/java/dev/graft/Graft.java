package dev.graft;

import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.LayerGroup;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import dev.graft.bundle.TextClassifier;
import dev.graft.data.DataSplit;
import dev.graft.data.DatasetProfile;
import dev.graft.data.DatasetValidator;
import dev.graft.data.LabelEncoder;
import dev.graft.data.StratifiedSplitter;
import dev.graft.data.TextDataset;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.HeadTrainer;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The entry points: fit a model to labelled data, evaluate a saved model. */
public final class Graft {

    /** Graft's version, recorded in every bundle. */
    public static final String VERSION = "0.1.0";

    private Graft() {}

    /** @return the directory of cached backbone features */
    public static Path featureCacheDir() {
        return GraftCache.root().resolve("features");
    }

    /**
     * Loads the data, splits it, extracts (or reads cached) features, trains the head and writes a
     * bundle.
     *
     * @param request what to fit and where to write it
     * @param listener hears progress; {@link FitListener#NONE} for silence
     * @return the bundle's path and the measured metrics
     */
    public static FitResult fit(FitRequest request, FitListener listener) {
        TextDataset all = TextLoader.load(request.data(), request.loadOptions());
        DatasetValidator.check(all, request.loadOptions().labelColumn());
        DataSplit split = split(request, all);
        LabelEncoder labels = LabelEncoder.fit(split.train().labels());
        int[] trainY = labels.encodeAll(split.train());
        int[] validationY = labels.encodeAll(split.validation());
        int[] testY = split.test().size() == 0 ? new int[0] : labels.encodeAll(split.test());
        listener.info(String.format("data: %s · train %,d · validation %,d · test %,d%s", request.data(),
                split.train().size(), split.validation().size(), split.test().size(),
                all.blankSkipped() > 0 ? " · " + all.blankSkipped() + " blank texts skipped" : ""));

        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength());
                FeatureCache cache = FeatureCache.open(featureCacheDir(), backbone)) {
            listener.info(DatasetProfile.of(all, backbone::tokenCount, request.maxLength()).toTable());
            FineTunePlan plan = request.strategy().plan(backbone);
            if (!plan.backboneFrozen()) {
                throw new GraftException("strategy " + plan.strategy() + " is not available yet; use feature-extraction");
            }
            long backboneParameters = backbone.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();

            long t0 = System.nanoTime();
            int cachedBefore = cache.size();
            FeatureExtractor extractor = new FeatureExtractor(backbone, cache, request.batchSize());
            float[][] trainX = extractor.extract(split.train().texts(), listener.progress());
            float[][] validationX = extractor.extract(split.validation().texts(), listener.progress());
            float[][] testX = extractor.extract(split.test().texts(), listener.progress());
            int computed = cache.size() - cachedBefore;
            double featureSeconds = (System.nanoTime() - t0) / 1e9;
            java.util.Set<String> distinct = new java.util.HashSet<>(split.train().texts());
            distinct.addAll(split.validation().texts());
            distinct.addAll(split.test().texts());
            listener.info(String.format("features: %,d computed, %,d from cache, %,d distinct texts (%.1f s)",
                    computed, distinct.size() - computed, distinct.size(), featureSeconds));

            long t1 = System.nanoTime();
            HeadTrainer.Result trained = HeadTrainer.train(trainX, trainY, validationX, validationY, labels.size(),
                    request.head(), request.training(), listener::epoch);
            double trainSeconds = (System.nanoTime() - t1) / 1e9;
            TrainedHead head = trained.head();
            listener.info(String.format("head %s: best epoch %d of %d, validation loss %.4f (%.1f s)",
                    request.head().describe(), trained.bestEpoch(), trained.history().size(),
                    trained.bestValidationLoss(), trainSeconds));

            ClassificationMetrics validation = metrics(head, validationX, validationY, labels);
            ClassificationMetrics test = testY.length == 0 ? null : metrics(head, testX, testY, labels);

            Map<String, Object> training = new LinkedHashMap<>();
            training.put("max_epochs", request.training().epochsFor(trainX.length));
            training.put("epochs_run", trained.history().size());
            training.put("best_epoch", trained.bestEpoch());
            training.put("batch_size", request.training().batchSize());
            training.put("learning_rate", request.training().learningRate());
            training.put("weight_decay", request.training().weightDecay());
            training.put("patience", request.training().patience());
            training.put("schedule", "warmup(1 epoch) + cosine");
            training.put("optimizer", "adamw");
            training.put("seconds", round(trainSeconds));

            Map<String, Object> metricMap = new LinkedHashMap<>();
            metricMap.put("validation", validation.toJsonMap());
            if (test != null) {
                metricMap.put("test", test.toJsonMap());
            }

            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("data_file", request.data().getFileName().toString());
            provenance.put("data_sha256", sha256(request.data()));
            if (request.validationData() != null) {
                provenance.put("validation_sha256", sha256(request.validationData()));
            }
            if (request.testData() != null) {
                provenance.put("test_sha256", sha256(request.testData()));
            }
            provenance.put("rows", Map.of("train", trainX.length, "validation", validationX.length, "test", testX.length));
            provenance.put("split", request.validationData() == null
                    ? "stratified " + request.validationFraction() + "/" + request.testFraction() : "files");
            provenance.put("text_column", request.loadOptions().textColumn());
            provenance.put("label_column", request.loadOptions().labelColumn());
            provenance.put("seed", request.training().seed());
            provenance.put("graft_version", VERSION);
            provenance.put("djl_version", ai.djl.engine.Engine.getDjlVersion());
            provenance.put("java_version", System.getProperty("java.version"));
            provenance.put("created_at", Instant.now().toString());

            BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION,
                    "text-classification",
                    new BundleManifest.BackboneRef(backbone.id(), backbone.weightsSha256(), backbone.preprocessingKey(),
                            request.maxLength()),
                    labels.labels(),
                    new BundleManifest.HeadRef(request.head().hidden(), request.head().dropout(), backbone.featureSize()),
                    plan,
                    new BundleManifest.Parameters(head.parameterCount(), backboneParameters + head.parameterCount()),
                    null, training, metricMap, provenance);
            Path written = Bundle.save(request.out(), manifest, head);
            return new FitResult(written, validation, test, trained.bestEpoch(), trained.history(), computed,
                    featureSeconds, trainSeconds, head.parameterCount(), backboneParameters + head.parameterCount());
        }
    }

    /**
     * Scores a saved model on labelled data.
     *
     * @param model a bundle directory or {@code .graft} file
     * @param data labelled data with the model's labels
     * @param options column names
     * @param listener hears progress
     * @return the metrics
     */
    public static ClassificationMetrics evaluate(Path model, Path data, TextLoadOptions options, FitListener listener) {
        TextDataset dataset = TextLoader.load(data, options);
        try (TextClassifier classifier = TextClassifier.load(model, featureCacheDir())) {
            LabelEncoder labels = LabelEncoder.of(classifier.labels());
            int[] truth = new int[dataset.size()];
            for (int i = 0; i < truth.length; i++) {
                String label = dataset.examples().get(i).label();
                if (!classifier.labels().contains(label)) {
                    throw new GraftException(data + ": label '" + label + "' (row " + (i + 1)
                            + ") is not one the model knows " + classifier.labels()
                            + "; evaluate on data with the same label set");
                }
                truth[i] = labels.encode(label);
            }
            float[][] p = classifier.probabilities(dataset.texts(), listener.progress());
            return ClassificationMetrics.compute(truth, argmax(p), labels.labels());
        }
    }

    private static DataSplit split(FitRequest request, TextDataset all) {
        long seed = request.training().seed();
        if (request.validationData() == null && request.testData() == null) {
            return StratifiedSplitter.split(all, request.validationFraction(), request.testFraction(), seed);
        }
        TextLoadOptions options = request.loadOptions();
        TextDataset test = request.testData() == null ? TextDataset.empty() : TextLoader.load(request.testData(), options);
        if (request.validationData() != null) {
            return new DataSplit(all, TextLoader.load(request.validationData(), options), test);
        }
        DataSplit trainValidation = StratifiedSplitter.trainValidation(all, request.validationFraction(), seed);
        return new DataSplit(trainValidation.train(), trainValidation.validation(), test);
    }

    private static ClassificationMetrics metrics(TrainedHead head, float[][] x, int[] y, LabelEncoder labels) {
        return ClassificationMetrics.compute(y, argmax(head.probabilities(x)), labels.labels());
    }

    static int[] argmax(float[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int k = 1; k < p[i].length; k++) {
                if (p[i][k] > p[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
