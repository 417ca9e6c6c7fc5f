package dev.graft;

import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.ImageBackbone;
import dev.graft.backbone.ImageBackbones;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.TrainableBackbone;
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
import dev.graft.image.ImageCheck;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImageFiles;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochLog;
import dev.graft.train.EpochRecord;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import dev.graft.train.FeatureScaler;
import dev.graft.train.FineTuner;
import dev.graft.train.HeadSelection;
import dev.graft.train.HeadTrainingConfig;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
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
        TextDataset all = load(request, listener);
        boolean images = ImageBackbones.isImage(request.backbone());
        DataSplit split = split(request, all);
        LabelEncoder labels = LabelEncoder.fit(split.train().labels());
        int[] trainY = labels.encodeAll(split.train());
        int[] validationY = labels.encodeAll(split.validation());
        int[] testY = split.test().size() == 0 ? new int[0] : labels.encodeAll(split.test());
        listener.info(String.format("data: %s · train %,d · validation %,d · test %,d%s", request.data(),
                split.train().size(), split.validation().size(), split.test().size(),
                all.blankSkipped() > 0 ? " · " + all.blankSkipped() + " blank texts skipped" : ""));

        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength());
                FeatureCache cache = FeatureCache.open(featureCacheDir(), backbone);
                EpochLog log = new EpochLog(request.logOrDefault())) {
            DatasetProfile profile = DatasetProfile.ofCounts(all, backbone::tokenCounts, request.maxLength());
            listener.info(images ? profile.classTable() : profile.toTable());
            if (backbone instanceof ImageBackbone image) {
                image.augment(request.images().augmentation());
            }
            FineTunePlan plan = plan(request, backbone);
            long backboneParameters = backbone.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();

            long t0 = System.nanoTime();
            int cachedBefore = cache.size();
            FeatureExtractor extractor = new FeatureExtractor(backbone, cache, request.batchSize());
            float[][] trainX = extractor.extract(split.train().texts(), listener.progress());
            List<String> views = List.of();
            float[][] viewX = new float[0][];
            if (plan.backboneFrozen() && request.images().cachedViews() > 0) {
                if (!(backbone instanceof ImageBackbone image)) {
                    throw new GraftException("--cached-views needs an image backbone; " + backbone.id() + " reads text");
                }
                views = image.encoder().views(split.train().texts(), request.images().cachedViews());
                viewX = extractor.extract(views, listener.progress());
                listener.info(String.format("cached views: %,d augmented training views besides the %,d originals",
                        views.size(), split.train().size()));
            }
            float[][] validationX = extractor.extract(split.validation().texts(), listener.progress());
            float[][] testX = extractor.extract(split.test().texts(), listener.progress());
            int computed = cache.size() - cachedBefore;
            double featureSeconds = (System.nanoTime() - t0) / 1e9;
            java.util.Set<String> distinct = new java.util.HashSet<>(split.train().texts());
            distinct.addAll(split.validation().texts());
            distinct.addAll(split.test().texts());
            distinct.addAll(views);
            listener.info(String.format("features: %,d computed, %,d from cache, %,d distinct texts (%.1f s)",
                    computed, distinct.size() - computed, distinct.size(), featureSeconds));

            float[] classWeights = request.classWeighting().weights(trainY, labels.size());
            if (classWeights != null) {
                listener.info("class weights " + describeWeights(labels, classWeights) + " (--class-weights "
                        + request.classWeighting().name().toLowerCase(java.util.Locale.ROOT) + "; none to turn off)");
            }
            long t1 = System.nanoTime();
            java.util.function.Consumer<EpochRecord> onEpoch = e -> {
                log.write(e);
                listener.epoch(e);
            };
            TrainedHead head;
            Map<String, float[]> tuned = Map.of();
            int bestEpoch;
            List<EpochRecord> history;
            HeadSelection.Result selection = null;
            ClassificationMetrics crossValidated = null;
            if (plan.backboneFrozen()) {
                // the head learns from every labelled row it may see: Graft's own validation split too;
                // augmented views come last and train with the image they copy
                boolean pooled = request.validationData() == null;
                float[][] originalX = pooled ? concat(trainX, validationX) : trainX;
                int[] originalY = pooled ? concat(trainY, validationY) : trainY;
                int[] viewOf = new int[viewX.length];
                for (int v = 0; v < viewOf.length; v++) {
                    viewOf[v] = v % trainX.length;
                }
                selection = HeadSelection.select(concat(originalX, viewX),
                        concat(originalY, ImageEncoder.repeatLabels(trainY, request.images().cachedViews())), labels.size(),
                        classWeights, selectionOptions(request), listener::info, viewOf);
                head = selection.head();
                bestEpoch = selection.chosen().epochs();
                history = selection.history();
                history.forEach(onEpoch);
                crossValidated = ClassificationMetrics.compute(originalY, selection.outOfFold(), labels.labels());
                if (pooled) {
                    validationX = new float[0][];
                    validationY = new int[0];
                }
            } else {
                if (!(backbone instanceof TrainableBackbone trainable)) {
                    throw new GraftException("backbone " + backbone.id() + " cannot be fine-tuned; use feature-extraction");
                }
                boolean scratch = ImageBackbones.learnsFromScratch(backbone);
                FeatureScaler scaler = scratch ? FeatureScaler.identity(backbone.featureSize()) : FeatureScaler.fit(trainX);
                FineTuner tuner = new FineTuner(trainable, plan, request.head(), scaler, labels.size(),
                        request.training().seed(), request.checkpointDirOrDefault(), request.command())
                        .classWeights(classWeights);
                FineTuner.Result result = tuner.run(new FineTuner.Examples(split.train().texts(), trainY),
                        new FineTuner.Examples(split.validation().texts(), validationY), trainX, validationX,
                        new FineTuner.Listener() {
                            @Override
                            public void info(String line) {
                                listener.info(line);
                            }

                            @Override
                            public dev.graft.train.Progress progress() {
                                return listener.progress();
                            }

                            @Override
                            public void epoch(EpochRecord epoch) {
                                onEpoch.accept(epoch);
                            }
                        });
                head = result.head();
                tuned = result.tunedBackbone();
                bestEpoch = result.bestEpoch();
                history = result.history();
                listener.info(String.format("%s: best epoch %d of %d, validation loss %.4f, %d backbone and adapter tensors tuned (%.1f s)",
                        plan.strategy(), bestEpoch, history.size(), result.bestValidationLoss(), tuned.size(),
                        (System.nanoTime() - t1) / 1e9));
                if (!tuned.isEmpty()) {
                    try (FeatureCache memory = FeatureCache.inMemory(backbone)) {
                        FeatureExtractor tunedFeatures = new FeatureExtractor(backbone, memory, request.batchSize());
                        validationX = tunedFeatures.extract(split.validation().texts(), listener.progress());
                        testX = tunedFeatures.extract(split.test().texts(), listener.progress());
                    }
                }
            }
            double trainSeconds = (System.nanoTime() - t1) / 1e9;
            long trainable = head.parameterCount() + tunedCount(plan, backbone);

            ClassificationMetrics validation = validationY.length == 0 ? crossValidated
                    : metrics(head, validationX, validationY, labels);
            ClassificationMetrics test = testY.length == 0 ? null : metrics(head, testX, testY, labels);

            Map<String, Object> training = new LinkedHashMap<>();
            training.put("epochs_run", history.size());
            training.put("best_epoch", bestEpoch);
            if (selection != null) {
                training.put("head_selection", selection.toJsonMap());
                training.put("batch_size", request.training().batchSize());
                training.put("learning_rate", request.training().learningRate());
            } else if (plan.backboneFrozen()) {
                training.put("max_epochs", request.training().epochsFor(trainX.length));
                training.put("batch_size", request.training().batchSize());
                training.put("learning_rate", request.training().learningRate());
                training.put("weight_decay", request.training().weightDecay());
                training.put("patience", request.training().patience());
                training.put("schedule", "warmup(1 epoch) + cosine");
            }
            training.put("optimizer", "adamw");
            if (classWeights != null) {
                Map<String, Double> weights = new LinkedHashMap<>();
                for (int c = 0; c < classWeights.length; c++) {
                    weights.put(labels.labels().get(c), (double) classWeights[c]);
                }
                training.put("class_weights", weights);
            }
            training.put("history", history);
            training.put("seconds", round(trainSeconds));

            Map<String, Object> metricMap = new LinkedHashMap<>();
            metricMap.put("validation", validation.toJsonMap());
            if (crossValidated != null) {
                metricMap.put("validation_source", validationY.length == 0 ? "out-of-fold predictions on the rows the head trained on"
                        : "the validation file");
                metricMap.put("cross_validation", crossValidated.toJsonMap());
            }
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
            if (selection != null && request.validationData() == null) {
                provenance.put("head_rows", "train and validation splits pooled (" + (trainX.length) + " + "
                        + split.validation().size() + "), head chosen by cross-validation");
            }
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
                    backbone instanceof ImageBackbone ? "image-classification" : "text-classification",
                    new BundleManifest.BackboneRef(backbone.id(), backbone.weightsSha256(), backbone.preprocessingKey(),
                            request.maxLength()),
                    labels.labels(),
                    new BundleManifest.HeadRef(head.spec().hidden(), head.spec().dropout(), backbone.featureSize(),
                            head.temperature() == 1 ? null : head.temperature()),
                    plan,
                    new BundleManifest.Parameters(trainable, backboneParameters + head.parameterCount() + adapterCount(plan, backbone)),
                    null, training, metricMap, provenance);
            Path written = Bundle.save(request.out(), manifest, head, tunedTensors(tuned, backbone));
            if (!plan.backboneFrozen()) {
                deleteCheckpoint(request.checkpointDirOrDefault());
            }
            return new FitResult(written, validation, test, bestEpoch, history, computed,
                    featureSeconds, trainSeconds, trainable, backboneParameters + head.parameterCount() + adapterCount(plan, backbone), validationY.length == 0 ? "out-of-fold" : request.validationData() == null ? "validation split" : "validation file");
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
            float[][] logits = classifier.logits(dataset.texts(), listener.progress());
            Double temperature = classifier.manifest().head().temperature();
            double t = temperature == null ? 1 : temperature;
            if (t != 1) {
                double unscaled = dev.graft.train.Calibration.expectedCalibrationError(
                        dev.graft.train.Calibration.probabilities(logits, 1), truth);
                listener.info(String.format(java.util.Locale.ROOT, "probabilities calibrated by the bundle's temperature %.3f "
                        + "(expected calibration error without it: %.4f)", t, unscaled));
            }
            return ClassificationMetrics.compute(truth, dev.graft.train.Calibration.probabilities(logits, t),
                    labels.labels());
        }
    }

    /**
     * @param request what to fit
     * @param backbone the loaded backbone
     * @return the plan the request's strategy makes for the backbone
     */
    public static FineTunePlan plan(FitRequest request, Backbone backbone) {
        boolean scratch = ImageBackbones.learnsFromScratch(backbone);
        FitRequest r = request;
        if (scratch && !(request.strategy() instanceof dev.graft.adapt.Strategy.FeatureExtraction)) {
            dev.graft.adapt.PlanOptions o = request.planOptions();
            r = request.withPlanOptions(new dev.graft.adapt.PlanOptions(o.learningRate(), o.fineTuneFactor(), 1, o.layerDecay(),
                    o.weightDecay(), o.l2sp(), o.schedule(), o.headEpochs(), o.headPatience(), o.epochs(), o.patience(),
                    o.unfreeze(), o.batchSize(), o.backboneDropout()));
        }
        FineTunePlan plan = plan(r, backbone.layerGroups().stream().map(LayerGroup::name).toList());
        dev.graft.adapt.BatchNormPolicy policy = request.images().batchNorm();
        if (policy == null && scratch) {
            policy = dev.graft.adapt.BatchNormPolicy.TRAIN;
        }
        return policy == null ? plan : plan.withBatchNorm(policy);
    }

    /**
     * @param request the strategy and its options
     * @param groups the backbone's layer group names, bottom first
     * @return the plan the request's strategy makes for those groups, without loading the backbone
     */
    public static FineTunePlan plan(FitRequest request, List<String> groups) {
        dev.graft.adapt.PlanOptions o = request.planOptions();
        if (request.strategy() instanceof dev.graft.adapt.Strategy.FeatureExtraction) {
            HeadTrainingConfig t = request.training();
            o = new dev.graft.adapt.PlanOptions(t.learningRate(), o.fineTuneFactor(), o.lrRatio(), o.layerDecay(),
                    t.weightDecay(), 0, o.schedule(), t.maxEpochs(), t.patience(), o.epochs(), o.patience(), o.unfreeze(),
                    t.batchSize(), 0);
        }
        return request.strategy().plan(groups, o);
    }

    /** @return parameters of the backbone groups that any stage of the plan trains */
    public static long tunedCount(FineTunePlan plan, Backbone backbone) {
        long n = 0;
        if (plan.adapter() != null && backbone instanceof TrainableBackbone t) {
            n += t.adapterParameterCount(plan.adapter());
        }
        List<LayerGroup> groups = backbone.layerGroups();
        for (int g = 0; g < groups.size(); g++) {
            final int index = g;
            if (plan.stages().stream().anyMatch(s -> s.groups().get(index).trainable())) {
                n += groups.get(g).parameters();
            }
        }
        return n;
    }

    /** @return parameters the plan's adapters add to the backbone */
    public static long adapterCount(FineTunePlan plan, Backbone backbone) {
        return plan.adapter() != null && backbone instanceof TrainableBackbone t ? t.adapterParameterCount(plan.adapter()) : 0;
    }

    private static Map<String, Bundle.Weights> tunedTensors(Map<String, float[]> tuned, Backbone backbone) {
        Map<String, Bundle.Weights> out = new LinkedHashMap<>();
        if (tuned.isEmpty()) {
            return out;
        }
        TrainableBackbone t = (TrainableBackbone) backbone;
        for (int g = 0; g < t.groupCount(); g++) {
            for (Map.Entry<String, ai.djl.nn.Parameter> e : t.parameters(g).entrySet()) {
                float[] values = tuned.get(e.getKey());
                if (values != null) {
                    out.put(e.getKey(), new Bundle.Weights(e.getValue().getArray().getShape().getShape(), values));
                }
            }
        }
        for (Map.Entry<String, ai.djl.nn.Parameter> e : t.adapterParameters().entrySet()) {
            float[] values = tuned.get(e.getKey());
            if (values != null) {
                out.put(e.getKey(), new Bundle.Weights(e.getValue().getArray().getShape().getShape(), values));
            }
        }
        for (String name : t.statistics().keySet()) {
            float[] values = tuned.get(name);
            if (values != null) {
                out.put(name, new Bundle.Weights(new long[] {values.length}, values));
            }
        }
        return out;
    }

    private static void deleteCheckpoint(Path dir) {
        try {
            dev.graft.io.Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new GraftException("the model is saved, but the checkpoint " + dir + " could not be deleted: " + e.getMessage(), e);
        }
    }

    /**
     * @param request where the held-out data comes from, and the seed
     * @param all the loaded training file
     * @return train, validation and test sets as {@link #fit} splits them
     */
    public static DataSplit split(FitRequest request, TextDataset all) {
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

    /** @return the head search of the request, with its seed and MLP training settings */
    public static HeadSelection.Options selectionOptions(FitRequest request) {
        HeadSelection.Options d = HeadSelection.Options.defaults();
        int hidden = request.head().hidden() > 0 ? request.head().hidden() : d.mlpHidden();
        return new HeadSelection.Options(request.headSearch(), hidden, d.folds(), d.gridSize(), request.training());
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ClassificationMetrics metrics(TrainedHead head, float[][] x, int[] y, LabelEncoder labels) {
        return ClassificationMetrics.compute(y, head.probabilities(x), labels.labels());
    }

    /**
     * @param p scores per row (probabilities or logits)
     * @return the index of each row's highest score, the first on ties
     */
    public static int[] argmax(float[][] p) {
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

    private static String describeWeights(LabelEncoder labels, float[] weights) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < weights.length; c++) {
            out.append(c == 0 ? "" : ", ").append(labels.labels().get(c)).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", weights[c]));
        }
        return out.toString();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /**
     * Reads and checks the request's training data: for an image backbone every image is decoded
     * once, and unreadable ones are skipped (reported) or refused under strict mode.
     *
     * @param request data file, load options and backbone
     * @param listener hears what was skipped
     * @return the examples
     */
    public static TextDataset load(FitRequest request, FitListener listener) {
        if (ImageBackbones.isImage(request.backbone())) {
            ImageBackbones.checkId(request.backbone());
        }
        TextDataset all = TextLoader.load(request.data(), request.loadOptions());
        if (ImageBackbones.isImage(request.backbone())) {
            all = ImageCheck.readable(all, ImageFiles.SHARED, request.loadOptions().strict(), listener::info);
        }
        DatasetValidator.check(all, request.loadOptions().labelColumn());
        return all;
    }

    /** @return the file's SHA-256, or for a directory (an image dataset) that of its sorted file paths and their hashes */
    static String sha256(Path file) {
        try {
            if (java.nio.file.Files.isDirectory(file)) {
                StringBuilder listing = new StringBuilder();
                try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(file)) {
                    for (Path f : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                        listing.append(file.relativize(f)).append('\0').append(dev.graft.io.Hashes.sha256Hex(f)).append('\n');
                    }
                }
                return dev.graft.io.Hashes.sha256Hex(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return dev.graft.io.Hashes.sha256Hex(file);
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
