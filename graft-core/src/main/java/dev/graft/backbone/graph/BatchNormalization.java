package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.graft.adapt.BatchNormPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BatchNorm over the channels (axis 1). It follows its {@link BatchNormPolicy} in training mode
 * and always uses its running statistics otherwise; while {@link #collect collecting} it
 * normalises with batch statistics and accumulates them instead. Its running statistics are
 * {@code <name>/moving_mean} and {@code <name>/moving_variance}; they are not parameters (no
 * gradient reaches them). Without a learnt scale (Keras {@code scale=False}) or shift, those are
 * fixed ones and zeros.
 */
public final class BatchNormalization implements GraphOp {

    private final String name;
    private final Parameter gamma;
    private final Parameter beta;
    private final NDArray fixedGamma;
    private final NDArray fixedBeta;
    private final NDArray movingMean;
    private final NDArray movingVariance;
    private final float epsilon;
    private final float momentum;
    private BatchNormPolicy policy = BatchNormPolicy.INFERENCE;
    private boolean collecting;
    private long seen;
    private double[] mean;
    private double[] m2;

    /**
     * @param name the layer's name, prefix of its statistics' names
     * @param gamma the learnt scale, or null for none
     * @param beta the learnt shift, or null for none
     * @param movingMean running mean, owned by the graph's manager
     * @param movingVariance running variance
     * @param epsilon added to the variance
     * @param momentum {@code running = running·momentum + batch·(1 − momentum)} (Keras' sense)
     */
    public BatchNormalization(String name, Parameter gamma, Parameter beta, NDArray movingMean, NDArray movingVariance,
            float epsilon, float momentum) {
        this.name = name;
        this.gamma = gamma;
        this.beta = beta;
        this.movingMean = movingMean;
        this.movingVariance = movingVariance;
        this.epsilon = epsilon;
        this.momentum = momentum;
        NDManager manager = movingMean.getManager();
        this.fixedGamma = gamma == null ? manager.ones(movingMean.getShape()) : null;
        this.fixedBeta = beta == null ? manager.zeros(movingMean.getShape()) : null;
    }

    /** {@return the layer's name} */
    public String name() {
        return name;
    }

    /** {@return the scale: learnt, or fixed ones} */
    public NDArray scale() {
        return gamma == null ? fixedGamma : gamma.getArray();
    }

    /** {@return the shift: learnt, or fixed zeros} */
    public NDArray shift() {
        return beta == null ? fixedBeta : beta.getArray();
    }

    /** {@return the running mean} */
    public NDArray movingMean() {
        return movingMean;
    }

    /** {@return the running variance} */
    public NDArray movingVariance() {
        return movingVariance;
    }

    /** {@return the epsilon added to the variance} */
    public float epsilon() {
        return epsilon;
    }

    /** @param policy what the layer does in training mode from now on */
    void policy(BatchNormPolicy policy) {
        this.policy = policy;
    }

    Map<String, NDArray> statistics() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(name + "/moving_mean", movingMean);
        out.put(name + "/moving_variance", movingVariance);
        return out;
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        NDArray y = inputs.get(0);
        NDManager scope = y.getManager();
        NDArray g = gamma == null ? fixedGamma : ps.getValue(gamma, y.getDevice(), training);
        NDArray b = beta == null ? fixedBeta : ps.getValue(beta, y.getDevice(), training);
        // PyTorch refuses batch statistics over a single value per channel (batch 1 at 1×1 pixels)
        boolean several = y.size() / y.getShape().get(1) > 1;
        if (collecting) {
            accumulate(y);
            if (several) {
                try (NDArray scratchMean = scope.zeros(movingMean.getShape());
                        NDArray scratchVariance = scope.ones(movingVariance.getShape())) {
                    return BatchNorm.batchNorm(y, scratchMean, scratchVariance, g, b, 1, momentum, epsilon, true)
                            .singletonOrThrow();
                }
            }
        }
        boolean batchStatistics = training && policy == BatchNormPolicy.TRAIN && several;
        boolean affineTrains = training && (policy == BatchNormPolicy.TRAIN || policy == BatchNormPolicy.TRAIN_AFFINE);
        if (!affineTrains) {
            g = detached(g, scope);
            b = detached(b, scope);
        }
        return BatchNorm.batchNorm(y, movingMean, movingVariance, g, b, 1, momentum, epsilon, batchStatistics)
                .singletonOrThrow();
    }

    /** A parameter cut from the gradient graph, owned by the batch's manager so it dies with the batch. */
    private static NDArray detached(NDArray p, NDManager scope) {
        if (!p.hasGradient()) {
            return p;
        }
        NDArray d = p.stopGradient();
        d.attach(scope);
        return d;
    }

    @Override
    public int channels(int[] inputChannels) {
        return (int) movingMean.size();
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        if (gamma != null) {
            out.put(gamma.getName(), gamma);
        }
        if (beta != null) {
            out.put(beta.getName(), beta);
        }
        return out;
    }

    /** Starts re-estimating the running statistics from the batches that follow. */
    void collect() {
        int c = (int) movingMean.size();
        collecting = true;
        seen = 0;
        mean = new double[c];
        m2 = new double[c];
    }

    /** Ends collecting and installs the pooled mean and (biased) variance as running statistics. */
    void finishCollecting() {
        collecting = false;
        if (seen == 0) {
            return;
        }
        float[] mu = new float[mean.length];
        float[] var = new float[mean.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) mean[i];
            var[i] = (float) (m2[i] / seen);
        }
        movingMean.set(mu);
        movingVariance.set(var);
        mean = null;
        m2 = null;
    }

    /** Merges one batch's per-channel mean and variance into the running totals (Chan et al.). */
    private void accumulate(NDArray y) {
        long channels = y.getShape().get(1);
        long n = y.size() / channels;
        int[] axis = {1};
        float[] batchMean;
        float[] batchVar;
        try (NDArray t = y.swapAxes(0, 1); NDArray flat = t.reshape(channels, n); NDArray mu = flat.mean(axis, true);
                NDArray centred = flat.sub(mu); NDArray sq = centred.square(); NDArray var = sq.mean(axis)) {
            batchMean = mu.toFloatArray();
            batchVar = var.toFloatArray();
        }
        long total = seen + n;
        for (int c = 0; c < mean.length; c++) {
            double delta = batchMean[c] - mean[c];
            mean[c] += delta * n / total;
            m2[c] += (double) batchVar[c] * n + delta * delta * seen * n / total;
        }
        seen = total;
    }
}
