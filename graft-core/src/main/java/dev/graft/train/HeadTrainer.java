package dev.graft.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a classification head on fixed features with AdamW, one-epoch warm-up then cosine
 * decay over the epoch budget. {@link #train} stops early on validation loss and keeps the best
 * epoch; {@link HeadSelection} also uses it to score epochs on held-out folds and to refit for a
 * chosen number of epochs.
 */
public final class HeadTrainer {

    /** The trained head and how training went. */
    public record Result(TrainedHead head, int bestEpoch, double bestValidationLoss, List<EpochRecord> history) {}

    /** Told after every epoch, with the held-out rows' logits (rows × classes) when there are any. */
    private interface EpochEnd {
        /** {@return whether to train another epoch} */
        boolean after(int epoch, double trainLoss, double learningRate, double seconds, float[] heldLogits, HeadNetwork net);
    }

    private HeadTrainer() {}

    /**
     * Trains a head with AdamW, stopping early when the validation loss stops improving.
     *
     * @param train training features, one row per example
     * @param trainLabels class indices of the training rows
     * @param validation validation features (must not be empty)
     * @param validationLabels class indices of the validation rows
     * @param classes number of classes
     * @param spec head architecture
     * @param config hyperparameters
     * @param onEpoch told after every epoch
     * @return the head of the epoch with the lowest validation loss
     */
    public static Result train(float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            int classes, HeadSpec spec, HeadTrainingConfig config, Consumer<EpochRecord> onEpoch) {
        return train(train, trainLabels, validation, validationLabels, classes, spec, config, null, onEpoch);
    }

    /**
     * As {@link #train(float[][], int[], float[][], int[], int, HeadSpec, HeadTrainingConfig, Consumer)},
     * with the loss weighted per class.
     *
     * @param train training features, one row per example
     * @param trainLabels class indices of the training rows
     * @param validation validation features (must not be empty)
     * @param validationLabels class indices of the validation rows
     * @param classes number of classes
     * @param spec head architecture
     * @param config hyperparameters
     * @param classWeights one weight per class (see {@link ClassWeighting}), or null for none
     * @param onEpoch told after every epoch
     * @return the head of the epoch with the lowest validation loss
     */
    public static Result train(float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            int classes, HeadSpec spec, HeadTrainingConfig config, float[] classWeights, Consumer<EpochRecord> onEpoch) {
        if (train.length == 0 || validation.length == 0) {
            throw new IllegalArgumentException("training and validation sets must not be empty");
        }
        List<EpochRecord> history = new ArrayList<>();
        Map<String, float[]>[] best = newSnapshot();
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        int[] bestEpoch = {0};
        FeatureScaler scaler = loop(train, trainLabels, validation, classes, spec, config, classWeights,
                config.epochsFor(train.length), (epoch, trainLoss, lr, seconds, held, net) -> {
                    HeldOutScore score = HeldOutScore.of(held, validationLabels, classes, classWeights);
                    EpochRecord record = new EpochRecord(epoch, "head", trainLoss, score.loss(), score.accuracy(), lr,
                            seconds, score.macroF1(), 0);
                    history.add(record);
                    onEpoch.accept(record);
                    if (score.loss() < bestLoss[0] - 1e-4 || best[0] == null) {
                        bestLoss[0] = score.loss();
                        bestEpoch[0] = epoch;
                        best[0] = net.weights();
                        return true;
                    }
                    return epoch - bestEpoch[0] < config.patience();
                });
        return new Result(new TrainedHead(spec, scaler, classes, best[0]), bestEpoch[0], bestLoss[0], history);
    }

    /**
     * Trains on one part of the data and predicts the held-out part after every epoch, until the
     * held-out loss has not improved for the configuration's patience or the budget is spent.
     *
     * @return the held-out logits (rows × classes) after each epoch, epoch 1 first
     */
    static List<float[]> heldOutLogitsByEpoch(float[][] train, int[] trainLabels, float[][] held, int[] heldLabels,
            int classes, HeadSpec spec, HeadTrainingConfig config, float[] classWeights) {
        List<float[]> byEpoch = new ArrayList<>();
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        int[] bestEpoch = {0};
        loop(train, trainLabels, held, classes, spec, config, classWeights, config.epochsFor(train.length),
                (epoch, trainLoss, lr, seconds, logits, net) -> {
                    byEpoch.add(logits);
                    double loss = HeldOutScore.of(logits, heldLabels, classes, classWeights).loss();
                    if (loss < bestLoss[0] - 1e-4) {
                        bestLoss[0] = loss;
                        bestEpoch[0] = epoch;
                    }
                    return epoch - bestEpoch[0] < config.patience();
                });
        return byEpoch;
    }

    /**
     * Trains for exactly {@code epochs} epochs under the learning-rate schedule of the configuration's
     * whole budget (as the folds that chose {@code epochs} did), with no held-out data.
     *
     * @return the head after the last epoch, and one record per epoch (no validation figures)
     */
    static Result trainEpochs(float[][] train, int[] trainLabels, int classes, HeadSpec spec, HeadTrainingConfig config,
            float[] classWeights, int epochs, Consumer<EpochRecord> onEpoch) {
        List<EpochRecord> history = new ArrayList<>();
        Map<String, float[]>[] last = newSnapshot();
        int budget = Math.max(epochs, config.epochsFor(train.length));
        FeatureScaler scaler = loop(train, trainLabels, null, classes, spec, config, classWeights, budget,
                (epoch, trainLoss, lr, seconds, held, net) -> {
                    EpochRecord record = new EpochRecord(epoch, "head", trainLoss, Double.NaN, Double.NaN, lr, seconds,
                            Double.NaN, 0);
                    history.add(record);
                    onEpoch.accept(record);
                    if (epoch >= epochs) {
                        last[0] = net.weights();
                        return false;
                    }
                    return true;
                });
        return new Result(new TrainedHead(spec, scaler, classes, last[0]), epochs, Double.NaN, history);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, float[]>[] newSnapshot() {
        return new Map[1];
    }

    private static FeatureScaler loop(float[][] train, int[] trainLabels, float[][] held, int classes, HeadSpec spec,
            HeadTrainingConfig config, float[] classWeights, int epochs, EpochEnd end) {
        // measured: a head's tensors are too small for a second PyTorch thread to pay (SpamAssassin's
        // 384-256-2 head on 4,800 emails trained in 4.9-5.9 s on two threads, 3.7-4.0 s on one)
        return dev.graft.backbone.Engines.onOneThread(() -> run(train, trainLabels, held, classes, spec, config,
                classWeights, epochs, end));
    }

    private static FeatureScaler run(float[][] train, int[] trainLabels, float[][] held, int classes, HeadSpec spec,
            HeadTrainingConfig config, float[] classWeights, int epochs, EpochEnd end) {
        if (train.length == 0) {
            throw new IllegalArgumentException("the training set must not be empty");
        }
        FeatureScaler scaler = FeatureScaler.fit(train);
        int dim = scaler.dimension();
        float[] x = scaler.apply(train);
        float[] hx = held == null ? null : scaler.apply(held);
        int stepsPerEpoch = (train.length + config.batchSize() - 1) / config.batchSize();
        int totalSteps = stepsPerEpoch * epochs;
        float lr = (float) config.learningRate();
        Tracker cosine = CosineTracker.builder().setBaseValue(lr).optFinalValue(lr * 0.01f)
                .setMaxUpdates(Math.max(1, totalSteps - stepsPerEpoch)).build();
        Tracker schedule = WarmUpTracker.builder().setMainTracker(cosine).optWarmUpBeginValue(lr * 0.01f)
                .optWarmUpSteps(stepsPerEpoch).build();
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(schedule)
                .optWeightDecays((float) config.weightDecay()).build();

        Engine.getInstance().setRandomSeed((int) config.seed());
        Random random = new Random(config.seed());
        HeadNetwork net = new HeadNetwork(spec, classes);
        Loss loss = ClassWeighting.loss(classWeights);
        try (Model model = Model.newInstance("graft-head")) {
            model.setBlock(net.block);
            DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(loss).optOptimizer(adamW)
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(1, dim));
                int[] order = new int[train.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                int step = 0;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    long epochStart = System.nanoTime();
                    shuffle(order, random);
                    double lossSum = 0;
                    for (int start = 0; start < order.length; start += config.batchSize()) {
                        int n = Math.min(config.batchSize(), order.length - start);
                        float[] bx = new float[n * dim];
                        float[] by = new float[n];
                        for (int i = 0; i < n; i++) {
                            int row = order[start + i];
                            System.arraycopy(x, row * dim, bx, i * dim, dim);
                            by[i] = trainLabels[row];
                        }
                        try (NDManager batch = trainer.getManager().newSubManager();
                                GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray features = batch.create(bx, new Shape(n, dim));
                            NDArray labels = batch.create(by, new Shape(n));
                            NDArray logits = trainer.forward(new NDList(features)).singletonOrThrow();
                            NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
                            collector.backward(l);
                            lossSum += l.getFloat() * n;
                        }
                        trainer.step();
                        step++;
                    }
                    float[] heldLogits = hx == null ? null : logits(trainer, hx, dim);
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    if (!end.after(epoch, lossSum / order.length, schedule.getNewValue(step), seconds, heldLogits, net)) {
                        break;
                    }
                }
                return scaler;
            }
        }
    }

    private static float[] logits(Trainer trainer, float[] features, int dim) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = scope.create(features, new Shape(features.length / dim, dim));
            return trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
        }
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
