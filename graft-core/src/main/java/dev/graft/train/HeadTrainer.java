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
 * decay, and early stopping on validation loss; the weights of the best epoch are kept.
 */
public final class HeadTrainer {

    /** The trained head and how training went. */
    public record Result(TrainedHead head, int bestEpoch, double bestValidationLoss, List<EpochRecord> history) {}

    private HeadTrainer() {}

    /**
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
     * @param classWeights one weight per class (see {@link ClassWeighting}), or null for none
     */
    public static Result train(float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            int classes, HeadSpec spec, HeadTrainingConfig config, float[] classWeights, Consumer<EpochRecord> onEpoch) {
        // measured: a head's tensors are too small for a second PyTorch thread to pay (SpamAssassin's
        // 384-256-2 head on 4,800 emails trained in 4.9-5.9 s on two threads, 3.7-4.0 s on one)
        return dev.graft.backbone.Engines.onOneThread(() -> trainHead(train, trainLabels, validation, validationLabels,
                classes, spec, config, classWeights, onEpoch));
    }

    private static Result trainHead(float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            int classes, HeadSpec spec, HeadTrainingConfig config, float[] classWeights, Consumer<EpochRecord> onEpoch) {
        if (train.length == 0 || validation.length == 0) {
            throw new IllegalArgumentException("training and validation sets must not be empty");
        }
        FeatureScaler scaler = FeatureScaler.fit(train);
        int dim = scaler.dimension();
        float[] x = scaler.apply(train);
        float[] vx = scaler.apply(validation);
        int stepsPerEpoch = (train.length + config.batchSize() - 1) / config.batchSize();
        int epochs = config.epochsFor(train.length);
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
        List<EpochRecord> history = new ArrayList<>();
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
                Map<String, float[]> best = net.weights();
                double bestLoss = Double.POSITIVE_INFINITY;
                int bestEpoch = 0;
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
                    double[] val = evaluate(trainer, vx, validationLabels, dim, loss);
                    EpochRecord record = new EpochRecord(epoch, "head", lossSum / order.length, val[0], val[1],
                            schedule.getNewValue(step), (System.nanoTime() - epochStart) / 1e9, val[2]);
                    history.add(record);
                    onEpoch.accept(record);
                    if (val[0] < bestLoss - 1e-4) {
                        bestLoss = val[0];
                        bestEpoch = epoch;
                        best = net.weights();
                    } else if (epoch - bestEpoch >= config.patience()) {
                        break;
                    }
                }
                TrainedHead head = new TrainedHead(spec, scaler, classes, best);
                return new Result(head, bestEpoch, bestLoss, history);
            }
        }
    }

    private static double[] evaluate(Trainer trainer, float[] vx, int[] labels, int dim, Loss loss) {
        int n = labels.length;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray features = scope.create(vx, new Shape(n, dim));
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels[i];
            }
            NDArray logits = trainer.evaluate(new NDList(features)).singletonOrThrow();
            double l = loss.evaluate(new NDList(scope.create(y, new Shape(n))), new NDList(logits)).getFloat();
            long[] predicted = logits.argMax(1).toLongArray();
            int correct = 0;
            for (int i = 0; i < n; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            return new double[] {l, (double) correct / n, EpochRecord.macroF1(labels, predicted, classesOf(logits))};
        }
    }

    private static int classesOf(NDArray logits) {
        return (int) logits.getShape().get(1);
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
