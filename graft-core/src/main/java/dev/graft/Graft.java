package dev.graft;

import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import dev.graft.bundle.OnnxClassifier;
import dev.graft.bundle.BundleClassifier;
import dev.graft.data.DatasetProfile;
import dev.graft.data.LabelEncoder;
import dev.graft.data.TextDataset;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochLog;
import dev.graft.train.FeatureCache;
import dev.graft.train.HeadSelection;
import dev.graft.train.TrainedHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The entry points: fit a model to labelled data, evaluate a saved model. */
public final class Graft {

    /** Graft's version, recorded in every bundle. */
    public static final String VERSION = GraftVersion.VALUE;

    private Graft() {}

    /**
     * {@return a builder fitting a text classifier on MiniLM (all-MiniLM-L6-v2), strategy {@code auto}}
     */
    public static ClassifierBuilder textClassifier() {
        return new ClassifierBuilder(Backbones.DEFAULT);
    }

    /**
     * {@return a builder fitting an image classifier on MobileNetV2, strategy {@code auto}; examples
     *     are image paths ({@link Example#image})}
     */
    public static ClassifierBuilder imageClassifier() {
        return new ClassifierBuilder("mobilenetv2");
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
        requirePrecisionFitsStrategy(request);
        return fit(FitData.load(request, listener), request, listener);
    }

    /**
     * Fits on data already loaded and split (in memory, or shared by several fits), then writes a
     * bundle. The request's file paths are not read.
     *
     * @param data the split, encoded data
     * @param request the options and where to write the bundle
     * @param listener hears progress; {@link FitListener#NONE} for silence
     * @return the bundle's path and the measured metrics
     */
    public static FitResult fit(FitData data, FitRequest request, FitListener listener) {
        requirePrecisionFitsStrategy(request);
        listener.info(data.summary());
        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength(), request.precision());
                FeatureCache cache = FeatureCache.open(GraftCache.features(), backbone);
                EpochLog log = new EpochLog(request.logOrDefault())) {
            DatasetProfile profile = DatasetProfile.ofCounts(data.all(), backbone::tokenCounts, request.maxLength());
            listener.info(backbone instanceof ImageBackbone ? profile.classTable() : profile.toTable());
            if (backbone instanceof ImageBackbone image) {
                image.augment(request.images().augmentation());
            }
            FineTunePlan plan = plan(request, backbone);
            Features features = Features.extract(data, request, plan, backbone, cache, listener);
            float[] classWeights = request.classWeighting().weights(data.trainY(), data.labels().size());
            if (classWeights != null) {
                listener.info("class weights " + describeWeights(data.labels(), classWeights) + " ("
                        + request.classWeighting().name().toLowerCase(java.util.Locale.ROOT) + " class weighting; none to turn off)");
            }
            long t1 = System.nanoTime();
            Trainer.Input input = new Trainer.Input(data, request, plan, backbone, features, classWeights, e -> {
                log.write(e);
                listener.epoch(e);
            }, listener);
            Trainer.Trained trained = Trainer.of(plan).train(input);
            double trainSeconds = (System.nanoTime() - t1) / 1e9;

            ClassificationMetrics validation = trained.validationY().length == 0 ? trained.crossValidated()
                    : metrics(trained.head(), trained.validationX(), trained.validationY(), data.labels());
            int[] testY = data.testY();
            ClassificationMetrics test = testY.length == 0 ? null : metrics(trained.head(), trained.testX(), testY, data.labels());
            long backboneParameters = backbone.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();
            BundleManifest.Parameters parameters = new BundleManifest.Parameters(
                    trained.head().parameterCount() + tunedCount(plan, backbone),
                    backboneParameters + trained.head().parameterCount() + adapterCount(plan, backbone));
            BundleManifest manifest = FitManifest.of(input, trained, validation, test, parameters, trainSeconds);
            Path written = Bundle.save(request.out(), manifest, trained.head(), tunedTensors(trained.tuned(), backbone));
            if (!plan.backboneFrozen()) {
                deleteCheckpoint(request.checkpointDirOrDefault());
            }
            String validationSource = trained.validationY().length == 0 ? "out-of-fold"
                    : data.validationGiven() ? "validation file" : "validation split";
            return new FitResult(written, validation, test, trained.bestEpoch(), trained.history(), features.computed(),
                    features.seconds(), trainSeconds, parameters.trainable(), parameters.total(), validationSource);
        }
    }

    /**
     * Loads a saved model: a bundle (a directory or a {@code .graft} file, text or image) or an ONNX
     * export directory ({@code graft export --format onnx}). Its backbone comes from the local model
     * store; nothing is downloaded.
     *
     * @param path the bundle or export
     * @return the classifier; close it when done
     */
    public static Classifier load(Path path) {
        if (java.nio.file.Files.isRegularFile(path.resolve(OnnxClassifier.MODEL))) {
            return OnnxClassifier.load(path);
        }
        return BundleClassifier.load(path, null);
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
        try (BundleClassifier classifier = BundleClassifier.load(model, GraftCache.features())) {
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

    /** Refuses a reduced precision with a strategy that trains the backbone, before any data or weights are read. */
    private static void requirePrecisionFitsStrategy(FitRequest request) {
        if (request.precision() != Precision.FP32 && !(request.strategy() instanceof dev.graft.adapt.Strategy.FeatureExtraction)) {
            throw new GraftException(Parameter.PRECISION, request.precision().id(), "applies to frozen features "
                    + "(feature extraction); fine-tuning trains in fp32, so fit in fp32 and predict or export in int8");
        }
    }

    /**
     * Makes the fine-tuning plan for a loaded backbone; backbones that learn from scratch train BatchNorm
     * and all groups at one learning rate.
     *
     * @param request what to fit
     * @param backbone the loaded backbone
     * @return the plan the request's strategy makes for the backbone
     */
    public static FineTunePlan plan(FitRequest request, Backbone backbone) {
        boolean scratch = ImageBackbones.learnsFromScratch(backbone);
        FitRequest r = request;
        if (scratch && !(request.strategy() instanceof dev.graft.adapt.Strategy.FeatureExtraction)) {
            dev.graft.adapt.TrainingOptions o = request.training();
            r = request.withTraining(o.toBuilder().discriminative(o.fineTuneFactor(), 1, o.layerDecay()).build());
        }
        FineTunePlan plan = plan(r, backbone.layerGroups().stream().map(LayerGroup::name).toList());
        dev.graft.adapt.BatchNormPolicy policy = request.images().batchNorm();
        if (policy == null && scratch) {
            policy = dev.graft.adapt.BatchNormPolicy.TRAIN;
        }
        return policy == null ? plan : plan.withBatchNorm(policy);
    }

    /**
     * Makes the fine-tuning plan for a backbone known only by its layer group names.
     *
     * @param request the strategy and its options
     * @param groups the backbone's layer group names, bottom first
     * @return the plan the request's strategy makes for those groups, without loading the backbone
     */
    public static FineTunePlan plan(FitRequest request, List<String> groups) {
        return request.strategy().plan(groups, request.training());
    }

    /**
     * Counts the backbone parameters that fine-tuning with this plan updates.
     *
     * @param plan the stages and adapter a strategy made for this backbone
     * @param backbone the backbone the plan is for
     * @return parameters of the backbone groups that any stage of the plan trains, plus those of its adapters
     */
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

    /**
     * Counts the parameters the plan's adapters (e.g. LoRA) add to the backbone.
     *
     * @param plan the stages and adapter a strategy made for this backbone
     * @param backbone the backbone the plan is for
     * @return parameters the plan's adapters add; 0 when the plan has no adapter or the backbone is not trainable
     */
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

    private static ClassificationMetrics metrics(TrainedHead head, float[][] x, int[] y, LabelEncoder labels) {
        return ClassificationMetrics.compute(y, head.probabilities(x), labels.labels());
    }

    private static String describeWeights(LabelEncoder labels, float[] weights) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < weights.length; c++) {
            out.append(c == 0 ? "" : ", ").append(labels.labels().get(c)).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", weights[c]));
        }
        return out.toString();
    }
}
