package dev.graft.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.graft.GraftException;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.GroupSetting;
import dev.graft.adapt.Stage;
import dev.graft.backbone.Engines;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.InputEncoder;
import dev.graft.backbone.TrainableBackbone;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The one training loop: executes any {@link FineTunePlan} on a trainable backbone plus a head.
 *
 * <p>Per stage it freezes and unfreezes layer groups, runs the frozen groups below the lowest
 * trainable one once and caches their output (the freeze-boundary cache; rebuilt when the
 * boundary moves), then trains only what lies above with AdamW at base × group multiplier ×
 * schedule. After every epoch it validates, logs, keeps the best weights and writes a checkpoint
 * from which {@link #run} resumes.
 */
public final class FineTuner {

    /** Texts and their class indices. */
    public record Examples(List<String> texts, int[] labels) {
        /**
         * Checks that there is at least one text and one label per text.
         *
         * @param texts the texts (or image paths), not empty
         * @param labels the class index of each text
         */
        public Examples {
            if (texts.size() != labels.length || texts.isEmpty()) {
                throw new IllegalArgumentException("texts and labels must be non-empty and of equal length");
            }
        }
    }

    /**
     * What training produced.
     *
     * @param head the head of the best epoch
     * @param tunedBackbone backbone parameters of the best epoch that differ from the pretrained ones
     * @param bestEpoch 1-based epoch with the lowest validation loss
     * @param bestValidationLoss its validation loss
     * @param history every epoch, across stages
     */
    public record Result(TrainedHead head, Map<String, float[]> tunedBackbone, int bestEpoch, double bestValidationLoss,
            List<EpochRecord> history) {}

    /** Hears what training is doing. */
    public interface Listener {
        /** @param line a status line */
        default void info(String line) {}

        /** {@return progress sink for boundary caches and epochs} */
        default Progress progress() {
            return Progress.NONE;
        }

        /** @param epoch a finished epoch */
        default void epoch(EpochRecord epoch) {}
    }

    private final TrainableBackbone backbone;
    private final FineTunePlan plan;
    private final HeadSpec headSpec;
    private final FeatureScaler scaler;
    private final int classes;
    private final long seed;
    private final Checkpoints checkpoints;
    private DataType cacheType = DataType.FLOAT16;
    private boolean cacheBoundary = true;
    private float[] classWeights;
    private int skippedSteps;
    private double lastSkippedLoss;
    private double lastSkippedNorm;
    private Map<String, float[]> pretrainedStatistics = Map.of();

    /** Gradients are scaled down to this global L2 norm before every step. */
    public static final double MAX_GRAD_NORM = 1.0;
    /** Non-finite steps skipped before training stops with an error. */
    public static final int MAX_SKIPPED_STEPS = 3;

    /**
     * Prepares a fine-tuning run of a backbone and a new head.
     *
     * @param backbone the backbone to adapt; its parameters change in place
     * @param plan what trains, how fast and when
     * @param headSpec the head's architecture
     * @param scaler standardisation of the pretrained features (fitted on training data)
     * @param classes number of classes
     * @param seed seeds head initialisation, batch order and dropout
     * @param checkpointDir where to checkpoint after every epoch and resume from, or null
     * @param request what made this run (JSON), stored in checkpoints so that a resume needs only the
     *     directory; null for none
     */
    public FineTuner(TrainableBackbone backbone, FineTunePlan plan, HeadSpec headSpec, FeatureScaler scaler, int classes,
            long seed, Path checkpointDir, com.fasterxml.jackson.databind.JsonNode request) {
        if (plan.groupNames().size() != backbone.groupCount() + 1) {
            throw new IllegalArgumentException("plan groups " + plan.groupNames() + " do not match the backbone");
        }
        this.backbone = backbone;
        this.plan = plan;
        this.headSpec = headSpec;
        this.scaler = scaler;
        this.classes = classes;
        this.seed = seed;
        this.checkpoints = checkpointDir == null ? null : new Checkpoints(checkpointDir, request);
    }

    /**
     * Sets the precision of the cached output of the frozen groups.
     *
     * @param type precision of the freeze-boundary cache: FLOAT16 (half the memory) or FLOAT32 (exact)
     * @return this
     */
    public FineTuner cachePrecision(DataType type) {
        if (type != DataType.FLOAT16 && type != DataType.FLOAT32) {
            throw new IllegalArgumentException("cache precision must be FLOAT16 or FLOAT32: " + type);
        }
        this.cacheType = type;
        return this;
    }

    /**
     * Turns caching the frozen groups' output on or off.
     *
     * @param enabled false runs the frozen groups at every step instead of caching their output
     *     (slower; for measuring what the cache saves)
     * @return this
     */
    public FineTuner boundaryCache(boolean enabled) {
        this.cacheBoundary = enabled;
        return this;
    }

    /**
     * Weights the loss per class.
     *
     * @param weights per-class loss weights (see {@link ClassWeighting}), or null for none
     * @return this
     */
    public FineTuner classWeights(float[] weights) {
        if (weights != null && weights.length != classes) {
            throw new IllegalArgumentException(weights.length + " class weights for " + classes + " classes");
        }
        this.classWeights = weights == null ? null : weights.clone();
        return this;
    }

    /**
     * Trains, resuming from the checkpoint directory when it holds a checkpoint of this plan.
     *
     * @param train training examples
     * @param validation validation examples (early stopping and best-epoch selection)
     * @param pooledTrain pretrained pooled features of {@code train}, or null (saves a backbone pass in head-only stages)
     * @param pooledValidation the same for {@code validation}, or null
     * @param listener hears progress
     * @return the best epoch's head and tuned backbone weights
     */
    public Result run(Examples train, Examples validation, float[][] pooledTrain, float[][] pooledValidation,
            Listener listener) {
        dev.graft.backbone.Engines.noGradientsOnThisThread();
        Set<Integer> everTrained = new LinkedHashSet<>();
        for (Stage s : plan.stages()) {
            for (int g = 0; g < backbone.groupCount(); g++) {
                if (s.groups().get(g).trainable()) {
                    everTrained.add(g);
                }
            }
        }
        if (plan.adapter() != null && backbone.adapterParameters().isEmpty()) {
            backbone.attachAdapters(plan.adapter(), seed);
        }
        Map<String, Parameter> tracked = new LinkedHashMap<>();
        for (int g : everTrained) {
            tracked.putAll(backbone.parameters(g));
        }
        tracked.putAll(backbone.adapterParameters());
        Map<String, float[]> pretrained = new LinkedHashMap<>();
        tracked.forEach((name, p) -> pretrained.put(name, p.getArray().toFloatArray()));
        pretrainedStatistics = backbone.statistics();
        backbone.setDropout((float) plan.backboneDropout());
        Loop loop = new Loop(train, validation, pooledTrain, pooledValidation, listener);

        try (NDManager root = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            HeadNetwork head = new HeadNetwork(headSpec, classes);
            head.initialize(root, scaler.dimension());
            Map<String, NDArray> anchors = new LinkedHashMap<>();
            if (plan.optimizer().l2sp() > 0) {
                for (int g : everTrained) {
                    backbone.parameters(g).forEach((name, p) -> anchors.put(name,
                            root.create(pretrained.get(name), p.getArray().getShape())));
                }
            }
            loop.open(root, head, tracked, anchors);
            TrainingState state = TrainingState.start();
            if (checkpoints != null && checkpoints.exists()) {
                state = checkpoints.restore(plan, seed, head, tracked, backbone, loop.optimizer, root);
                listener.info(String.format("resuming from %s after epoch %d (stage %s)", checkpoints.dir(),
                        state.globalEpoch(), plan.stages().get(state.stage()).name()));
            }
            try {
                for (int s = state.stage(); s < plan.stages().size(); s++) {
                    state = loop.stage(s, state);
                }
            } finally {
                loop.closeCaches();
            }
            return result(state, head, pretrained, tracked);
        }
    }

    /** One run's inputs, head, optimiser and freeze-boundary caches, trained stage by stage and epoch by epoch. */
    private final class Loop {
        private final Examples train;
        private final Examples validation;
        private final float[][] pooledTrain;
        private final float[][] pooledValidation;
        private final Listener listener;
        private final InputEncoder encoder;
        private final List<int[]> trainBatches;
        private final List<int[]> validationBatches;
        private final List<InputBatch> trainTokens;
        private final List<InputBatch> validationTokens;
        private final Loss loss = ClassWeighting.loss(classWeights);
        private HeadNetwork head;
        private Map<String, Parameter> tracked;
        private Map<String, NDArray> anchors;
        private NDArray mean;
        private NDArray scale;
        private AdamW optimizer;
        private BoundaryCache trainCache;
        private BoundaryCache validationCache;

        Loop(Examples train, Examples validation, float[][] pooledTrain, float[][] pooledValidation, Listener listener) {
            this.train = train;
            this.validation = validation;
            this.pooledTrain = pooledTrain;
            this.pooledValidation = pooledValidation;
            this.listener = listener;
            encoder = backbone.encoder();
            trainBatches = BatchPlan.compose(lengths(encoder, train.texts()), plan.batchSize(), new Random(seed));
            validationBatches = BatchPlan.compose(lengths(encoder, validation.texts()), plan.batchSize(), null);
            trainTokens = encode(encoder, train.texts(), trainBatches);
            validationTokens = encode(encoder, validation.texts(), validationBatches);
        }

        void open(NDManager root, HeadNetwork head, Map<String, Parameter> tracked, Map<String, NDArray> anchors) {
            this.head = head;
            this.tracked = tracked;
            this.anchors = anchors;
            mean = root.create(scaler.mean());
            scale = root.create(scaler.scale());
            optimizer = new AdamW(plan.optimizer(), root);
        }

        /** Runs stage {@code s} from where {@code state} stands to its end; @return the state after it */
        TrainingState stage(int s, TrainingState state) {
            Stage stage = plan.stages().get(s);
            prepare(s, stage, state);
            List<Trainable> params = trainables(stage, head);
            if (stage.adapter() != null) {
                backbone.adapterParameters().forEach((name, p) ->
                        params.add(new Trainable(name, p, backbone.groupCount() + 1, true)));
            }
            int maxEpochs = stage.end().maxEpochs() > 0 ? stage.end().maxEpochs()
                    : HeadTrainingConfig.defaults().withMaxEpochs(0).epochsFor(train.texts().size() * 32 / plan.batchSize());
            for (int e = state.epochInStage(); e < maxEpochs; e++) {
                EpochRecord record = epoch(s, stage, e, maxEpochs, params, state.globalEpoch() + 1);
                state = state.afterEpoch(record, s, e + 1, snapshotIfBest(record, head, tracked, state));
                listener.epoch(record);
                boolean plateau = state.stageBadEpochs() >= stage.end().patience();
                if (plateau || e + 1 == maxEpochs) {
                    state = state.nextStage(s + 1);
                }
                if (checkpoints != null) {
                    checkpoints.save(plan, seed, state, head, tracked, backbone.statistics(), optimizer);
                }
                if (plateau) {
                    break;
                }
            }
            return state.stage() == s ? state.nextStage(s + 1) : state;
        }

        /** Starts a stage: the best weights so far, trainable groups, BatchNorm policies, the boundary caches. */
        private void prepare(int s, Stage stage, TrainingState state) {
            int groups = backbone.groupCount();
            int boundary = stage.boundary();
            if (s > 0 && state.epochInStage() == 0 && state.best() != null
                    && restoreBest(state.best(), head, tracked) && trainCache != null) {
                closeCaches();
            }
            Set<Integer> recalibrate = new LinkedHashSet<>();
            for (int g = 0; g < groups; g++) {
                GroupSetting setting = stage.groups().get(g);
                backbone.setTrainable(g, setting.trainable());
                backbone.setBatchNorm(g, setting.batchNorm());
                if (setting.batchNorm() == BatchNormPolicy.RECALIBRATE && state.epochInStage() == 0) {
                    recalibrate.add(g);
                }
            }
            if (!recalibrate.isEmpty()) {
                listener.info("recalibrating BatchNorm statistics of " + recalibrate.size() + " group(s) on the training data");
                backbone.recalibrateBatchNorm(trainTokens, recalibrate);
                closeCaches();
            }
            // a run resumed mid-stage has its recalibrated statistics from the checkpoint
            boolean pretrainedBelow = TrainingState.pretrainedFeaturesHold(plan, s);
            if (trainCache == null || trainCache.boundary != boundary) {
                closeCaches();
                listener.info(String.format("stage %s: %s; freeze boundary at group %d (%s)", stage.name(),
                        describe(stage), boundary, boundary == groups ? "pooled features" : plan.groupNames().get(boundary)));
                trainCache = new BoundaryCache(boundary, cacheType, cacheBoundary && !encoder.augments());
                trainCache.fill(backbone, trainTokens, trainBatches, pretrainedBelow ? pooledTrain : null,
                        listener.progress(), "cache train");
                validationCache = new BoundaryCache(boundary, cacheType, cacheBoundary);
                validationCache.fill(backbone, validationTokens, validationBatches,
                        pretrainedBelow ? pooledValidation : null, listener.progress(), "cache validation");
            }
        }

        /** One pass over the training batches in this epoch's order, then validation. */
        private EpochRecord epoch(int s, Stage stage, int e, int maxEpochs, List<Trainable> params, int globalEpoch) {
            long epochStart = System.nanoTime();
            int stepsPerEpoch = trainBatches.size();
            long totalSteps = (long) stepsPerEpoch * maxEpochs;
            Engine.getInstance().setRandomSeed((int) (seed * 1000 + globalEpoch));
            List<Integer> order = new ArrayList<>();
            for (int b = 0; b < trainBatches.size(); b++) {
                order.add(b);
            }
            Collections.shuffle(order, new Random(seed * 7919 + globalEpoch));
            List<InputBatch> epochInputs = encoder.augments()
                    ? augmented(encoder, train.texts(), trainBatches, seed, globalEpoch) : trainTokens;
            Progress progress = stage.headOnly() ? Progress.NONE : listener.progress();
            progress.start(stage.name() + " epoch " + globalEpoch, train.texts().size());
            double lossSum = 0;
            int counted = 0;
            int skipped = 0;
            long step = (long) e * stepsPerEpoch;
            for (int b : order) {
                int[] rows = trainBatches.get(b);
                double l = trainStep(s, step, totalSteps, stepsPerEpoch, params, trainCache, b, epochInputs.get(b),
                        labels(train.labels(), rows), head, mean, scale, loss, optimizer, anchors);
                if (Double.isFinite(l)) {
                    lossSum += l * rows.length;
                    counted += rows.length;
                } else {
                    skipped++;
                }
                step++;
                progress.advance(rows.length);
            }
            progress.finish();
            double[] val = validate(validationCache, validationTokens, validationBatches, validation.labels(),
                    head, mean, scale, loss);
            double headLr = plan.learningRate(s, backbone.groupCount(), step - 1, totalSteps, stepsPerEpoch);
            if (skipped > 0) {
                listener.info(skippedStepsWarning(stage.name(), globalEpoch, skipped, stepsPerEpoch));
            }
            return new EpochRecord(globalEpoch, stage.name(), lossSum / Math.max(1, counted),
                    val[0], val[1], headLr, (System.nanoTime() - epochStart) / 1e9, val[2], skipped);
        }

        void closeCaches() {
            if (trainCache != null) {
                trainCache.close();
                validationCache.close();
                trainCache = null;
                validationCache = null;
            }
        }
    }

    private Result result(TrainingState state, HeadNetwork head, Map<String, float[]> pretrained,
            Map<String, Parameter> tracked) {
        Map<String, float[]> best = state.best() != null ? state.best() : snapshot(head, tracked);
        Map<String, Parameter> adapters = backbone.adapterParameters();
        Map<String, float[]> headWeights = new LinkedHashMap<>();
        Map<String, float[]> tuned = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : best.entrySet()) {
            if (e.getKey().startsWith("head.")) {
                headWeights.put(e.getKey(), e.getValue());
            } else if (tracked.containsKey(e.getKey()) && (adapters.containsKey(e.getKey())
                    || !java.util.Arrays.equals(e.getValue(), pretrained.get(e.getKey())))) {
                tuned.put(e.getKey(), e.getValue());
            }
        }
        // leave the backbone holding the best epoch's weights and running statistics
        restoreBest(best, head, tracked);
        backbone.statistics().forEach((name, values) -> {
            if (!java.util.Arrays.equals(values, pretrainedStatistics.get(name))) {
                tuned.put(name, values);
            }
        });
        TrainedHead trained = new TrainedHead(headSpec, scaler, classes, headWeights);
        return new Result(trained, tuned, state.bestEpoch(), state.bestLoss(), state.history());
    }

    /**
     * The kept epoch is the one with the best validation macro-F1, ties going to the lower
     * validation loss: across stages, loss alone would prefer an early, less overconfident head
     * to a fine-tuned model that classifies better.
     */
    private Map<String, float[]> snapshotIfBest(EpochRecord record, HeadNetwork head, Map<String, Parameter> tracked,
            TrainingState state) {
        double best = state.bestMacroF1();
        boolean better = record.validationMacroF1() > best + 1e-9
                || (Math.abs(record.validationMacroF1() - best) <= 1e-9 && record.validationLoss() < state.bestLoss() - 1e-4);
        return better ? snapshot(head, tracked) : null;
    }

    /**
     * Puts the best weights and running statistics so far back, so that a stage starts from the
     * best head rather than from one that kept training past it.
     *
     * @return whether the backbone changed
     */
    private boolean restoreBest(Map<String, float[]> best, HeadNetwork head, Map<String, Parameter> tracked) {
        Map<String, float[]> headWeights = new LinkedHashMap<>();
        Map<String, float[]> current = backbone.statistics();
        Map<String, float[]> statistics = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, float[]> e : best.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("head.")) {
                headWeights.put(name, e.getValue());
            } else if (tracked.containsKey(name)) {
                NDArray array = tracked.get(name).getArray();
                if (!java.util.Arrays.equals(array.toFloatArray(), e.getValue())) {
                    array.set(e.getValue());
                    changed = true;
                }
            } else if (current.containsKey(name) && !java.util.Arrays.equals(current.get(name), e.getValue())) {
                statistics.put(name, e.getValue());
                changed = true;
            }
        }
        head.load(headWeights);
        backbone.restoreStatistics(statistics);
        return changed;
    }

    /** {@return the head's and tracked weights and the backbone's running statistics, by name} */
    private Map<String, float[]> snapshot(HeadNetwork head, Map<String, Parameter> tracked) {
        Map<String, float[]> out = new LinkedHashMap<>(head.weights());
        out.putAll(backbone.statistics());
        tracked.forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
    }

    /** One parameter being trained: its stable name, array, group and whether it decays. */
    record Trainable(String name, Parameter parameter, int group, boolean decays) {}

    private List<Trainable> trainables(Stage stage, HeadNetwork head) {
        List<Trainable> out = new ArrayList<>();
        for (int g = 0; g < backbone.groupCount(); g++) {
            if (stage.groups().get(g).trainable()) {
                for (Map.Entry<String, Parameter> e : backbone.parameters(g).entrySet()) {
                    if (!e.getValue().requiresGradient()) {
                        continue; // BatchNorm running statistics, or affine parameters kept fixed by the BatchNorm policy
                    }
                    out.add(new Trainable(e.getKey(), e.getValue(), g, backbone.decays(e.getKey())));
                }
            }
        }
        for (int i = 0; i < head.dense.size(); i++) {
            for (Pair<String, Parameter> p : head.dense.get(i).getParameters()) {
                String name = "head.dense" + i + "." + p.getKey();
                out.add(new Trainable(name, p.getValue(), backbone.groupCount(), p.getKey().equals("weight")));
            }
        }
        return out;
    }

    /**
     * One optimiser step with the gradients clipped to a global norm of {@link #MAX_GRAD_NORM}.
     * A step whose loss or gradients are not finite is skipped (gradients zeroed); after
     * {@link #MAX_SKIPPED_STEPS} such steps training stops with an error.
     *
     * @return the batch's loss, or NaN for a skipped step
     */
    private double trainStep(int stage, long step, long totalSteps, long stepsPerEpoch, List<Trainable> params, BoundaryCache cache, int batch,
            InputBatch tokens, float[] labels, HeadNetwork head, NDArray mean, NDArray scale, Loss loss,
            AdamW optimizer, Map<String, NDArray> anchors) {
        double value;
        try (NDManager scope = mean.getManager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = logits(scope, cache, batch, tokens, head, mean, scale, true);
                NDArray l = loss.evaluate(new NDList(scope.create(labels)), new NDList(logits));
                collector.backward(l);
                value = l.getFloat();
            }
            double squares = 0;
            for (Trainable t : params) {
                try (NDArray grad = t.parameter().getArray().getGradient(); NDArray sq = grad.square();
                        NDArray sum = sq.sum()) {
                    squares += sum.getFloat();
                }
            }
            double norm = Math.sqrt(squares);
            boolean finite = Double.isFinite(value) && Double.isFinite(norm);
            double clip = norm > MAX_GRAD_NORM ? MAX_GRAD_NORM / norm : 1;
            for (Trainable t : params) {
                NDArray weight = t.parameter().getArray();
                try (NDArray grad = weight.getGradient()) {
                    if (finite) {
                        if (clip < 1) {
                            grad.muli(clip);
                        }
                        double lr = plan.learningRate(stage, t.group(), step, totalSteps, stepsPerEpoch);
                        optimizer.update(t.name(), weight, grad, lr, t.decays(), anchors.get(t.name()));
                    }
                }
                Engines.zeroGradient(weight);
            }
            if (!finite) {
                skippedSteps++;
                lastSkippedLoss = value;
                lastSkippedNorm = norm;
                if (skippedSteps > MAX_SKIPPED_STEPS) {
                    throw new GraftException("training diverged (loss " + value + ", gradient norm " + norm + " at stage "
                            + plan.stages().get(stage).name() + "; " + skippedSteps
                            + " steps skipped); lower the learning rate, or the backbone's share of it");
                }
                return Double.NaN;
            }
        }
        return value;
    }

    /**
     * A non-finite loss comes out of the forward pass (non-finite inputs, or weights pushed out of
     * range); a finite loss with a non-finite gradient is an overflow in the backward pass.
     */
    private String skippedStepsWarning(String stage, int epoch, int skipped, int steps) {
        String cause = Double.isFinite(lastSkippedLoss)
                ? "an overflow in the backward pass, usually a learning rate too high for this data"
                : "non-finite input features, or a learning rate too high for this data";
        return String.format("warning: stage %s, epoch %d: %d of %d training steps skipped because their loss or gradient"
                + " was not finite (last: loss %s, gradient norm %s); likely cause: %s", stage, epoch, skipped, steps,
                lastSkippedLoss, lastSkippedNorm, cause);
    }

    private NDArray logits(NDManager scope, BoundaryCache cache, int batch, InputBatch tokens, HeadNetwork head,
            NDArray mean, NDArray scale, boolean training) {
        NDArray mask = tokens.mask(scope);
        NDArray input = cache.boundary == 0 ? tokens.input(scope) : cache.input(batch, tokens, scope);
        ParameterStore ps = new ParameterStore(scope, false);
        NDArray pooled = backbone.forwardFrom(ps, input, mask, cache.boundary, training);
        NDArray x = pooled.sub(mean).div(scale);
        return head.block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private double[] validate(BoundaryCache cache, List<InputBatch> tokens, List<int[]> batches, int[] labels,
            HeadNetwork head, NDArray mean, NDArray scale, Loss loss) {
        double lossSum = 0;
        int correct = 0;
        long[] all = new long[labels.length];
        int[] truth = new int[labels.length];
        int seen = 0;
        for (int b = 0; b < batches.size(); b++) {
            int[] rows = batches.get(b);
            try (NDManager scope = mean.getManager().newSubManager()) {
                NDArray logits = logits(scope, cache, b, tokens.get(b), head, mean, scale, false);
                float[] y = labels(labels, rows);
                lossSum += loss.evaluate(new NDList(scope.create(y)), new NDList(logits)).getFloat() * rows.length;
                long[] predicted = logits.argMax(1).toLongArray();
                for (int i = 0; i < rows.length; i++) {
                    correct += predicted[i] == (long) y[i] ? 1 : 0;
                    all[seen] = predicted[i];
                    truth[seen++] = (int) y[i];
                }
            }
        }
        return new double[] {lossSum / labels.length, (double) correct / labels.length,
                EpochRecord.macroF1(truth, all, classes)};
    }

    private static float[] labels(int[] labels, int[] rows) {
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = labels[rows[i]];
        }
        return y;
    }

    private static int[] lengths(InputEncoder encoder, List<String> texts) {
        int[] out = new int[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = encoder.length(texts.get(i));
        }
        return out;
    }

    /** {@return the batches encoded for evaluation (no augmentation)} */
    private static List<InputBatch> encode(InputEncoder encoder, List<String> texts, List<int[]> batches) {
        List<InputBatch> out = new ArrayList<>();
        for (int[] rows : batches) {
            out.add(encoder.encode(rowsOf(texts, rows)));
        }
        return out;
    }

    /**
     * {@return the batches of one epoch, each augmented by a generator seeded from (seed, epoch,
     *     batch) alone, so that a resumed run draws what the uninterrupted run drew}
     */
    private static List<InputBatch> augmented(InputEncoder encoder, List<String> texts, List<int[]> batches, long seed,
            int epoch) {
        List<InputBatch> out = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            long batchSeed = (seed * 1_000_003L + epoch) * 1_000_003L + b;
            out.add(encoder.encodeForTraining(rowsOf(texts, batches.get(b)), batchSeed));
        }
        return out;
    }

    private static List<String> rowsOf(List<String> texts, int[] rows) {
        List<String> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(texts.get(r));
        }
        return out;
    }

    private String describe(Stage stage) {
        List<String> trained = new ArrayList<>();
        if (stage.adapter() != null) {
            trained.add(stage.adapter().kind() + " adapters ×" + fmt(stage.adapter().lrMultiplier()));
        }
        for (GroupSetting g : stage.groups()) {
            if (g.trainable()) {
                trained.add(g.group() + " ×" + fmt(g.lrMultiplier()));
            }
        }
        return "training " + String.join(", ", trained);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.3g", v);
    }
}
