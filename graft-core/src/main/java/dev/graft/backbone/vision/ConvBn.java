package dev.graft.backbone.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.Scalars;
import java.util.Random;

/**
 * A Keras convolution (bias-free, {@code Conv2D} or {@code DepthwiseConv2D}) followed by its
 * {@code BatchNormalization} and optionally {@code ReLU(max_value=6)}: the unit MobileNetV2 is
 * made of. The kernel is stored {@code [out, in / groups, h, w]}; padding is explicit
 * (top, bottom, left, right), as Keras' {@code ZeroPadding2D((0, 1), (0, 1))} before a stride-2
 * convolution is not symmetric.
 *
 * <p>The BatchNorm follows its {@link BatchNormPolicy} in training mode and always uses its
 * running statistics otherwise; while {@link #collect collecting} it normalises with batch
 * statistics and accumulates them instead.
 */
final class ConvBn {

    /** Keras' BatchNormalization epsilon. */
    static final float EPSILON = 1e-3f;
    /** Keras' momentum 0.999, in DJL's sense: {@code running = running·m + batch·(1 − m)}. */
    static final float MOMENTUM = 0.999f;

    final String convName;
    final String bnName;
    final Parameter kernel;
    final Parameter gamma;
    final Parameter beta;
    final NDArray movingMean;
    final NDArray movingVariance;
    final int stride;
    final int[] pad;
    final int groups;
    final boolean relu6;
    BatchNormPolicy policy = BatchNormPolicy.INFERENCE;

    Parameter loraA;
    Parameter loraB;
    float loraScale;
    float loraDropout;

    private boolean collecting;
    private long seen;
    private double[] mean;
    private double[] m2;

    ConvBn(String convName, String bnName, Parameter kernel, Parameter gamma, Parameter beta, NDArray movingMean,
            NDArray movingVariance, int stride, int[] pad, int groups, boolean relu6) {
        this.convName = convName;
        this.bnName = bnName;
        this.kernel = kernel;
        this.gamma = gamma;
        this.beta = beta;
        this.movingMean = movingMean;
        this.movingVariance = movingVariance;
        this.stride = stride;
        this.pad = pad.clone();
        this.groups = groups;
        this.relu6 = relu6;
    }

    /** {@return whether the convolution is 1×1 and not grouped: a linear map over channels that LoRA can adapt} */
    boolean pointwise() {
        Shape s = kernel.getArray().getShape();
        return groups == 1 && s.get(2) == 1 && s.get(3) == 1;
    }

    int inChannels() {
        return (int) kernel.getArray().getShape().get(1) * groups;
    }

    int outChannels() {
        return (int) kernel.getArray().getShape().get(0);
    }

    NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDManager scope = x.getManager();
        NDArray in = x;
        if (pad[0] != 0 || pad[1] != 0 || pad[2] != 0 || pad[3] != 0) {
            in = x.pad(new Shape(pad[2], pad[3], pad[0], pad[1]), 0);
        }
        NDArray w = ps.getValue(kernel, x.getDevice(), training);
        Shape s = new Shape(stride, stride);
        NDArray y = Conv2d.conv2d(in, w, null, s, new Shape(0, 0), new Shape(1, 1), groups).singletonOrThrow();
        if (loraA != null) {
            NDArray a = ps.getValue(loraA, x.getDevice(), training);
            NDArray b = ps.getValue(loraB, x.getDevice(), training);
            NDArray lx = training && loraDropout > 0 ? Dropout.dropout(in, loraDropout, true).singletonOrThrow() : in;
            NDArray down = Conv2d.conv2d(lx, a, null, s, new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
            NDArray up = Conv2d.conv2d(down, b).singletonOrThrow();
            NDArray delta = Scalars.times(up, loraScale);
            y = replace(y, y.add(delta));
            release(lx, in);
            release(down, x);
            release(up, x);
            release(delta, x);
        }
        release(in, x);
        NDArray normalised = replace(y, normalise(ps, y, scope, training));
        return relu6 ? replace(normalised, Scalars.relu6(normalised)) : normalised;
    }

    /**
     * Closes an intermediate result once the next one exists. Safe in training too: autograd keeps
     * what backward needs; without it a batch's activations all stay alive until its manager closes.
     */
    static NDArray replace(NDArray old, NDArray next) {
        if (next != old) {
            old.close();
        }
        return next;
    }

    private static void release(NDArray a, NDArray keep) {
        if (a != keep) {
            a.close();
        }
    }

    private NDArray normalise(ParameterStore ps, NDArray y, NDManager scope, boolean training) {
        NDArray g = ps.getValue(gamma, y.getDevice(), training);
        NDArray b = ps.getValue(beta, y.getDevice(), training);
        // PyTorch refuses batch statistics over a single value per channel (batch 1 at 1×1 pixels)
        boolean several = y.size() / y.getShape().get(1) > 1;
        if (collecting && several) {
            accumulate(y);
            try (NDArray scratchMean = scope.zeros(movingMean.getShape());
                    NDArray scratchVariance = scope.ones(movingVariance.getShape())) {
                return BatchNorm.batchNorm(y, scratchMean, scratchVariance, g, b, 1, MOMENTUM, EPSILON, true)
                        .singletonOrThrow();
            }
        }
        if (collecting) {
            accumulate(y);
        }
        boolean batchStatistics = training && policy == BatchNormPolicy.TRAIN && several;
        boolean affineTrains = training && (policy == BatchNormPolicy.TRAIN || policy == BatchNormPolicy.TRAIN_AFFINE);
        if (!affineTrains) {
            g = detached(g, scope);
            b = detached(b, scope);
        }
        return BatchNorm.batchNorm(y, movingMean, movingVariance, g, b, 1, MOMENTUM, EPSILON, batchStatistics)
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

    /**
     * Adds a LoRA update {@code W + scale · B·A} to a pointwise convolution.
     *
     * @return {A (r, in, 1, 1) random, B (out, r, 1, 1) zero}
     */
    Parameter[] attachLora(NDManager manager, int rank, float scale, float dropout, Random random) {
        int in = inChannels();
        float[] init = new float[rank * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        loraA = MobileNetV2.parameter(manager, convName + "/lora_A", init, new Shape(rank, in, 1, 1));
        loraB = MobileNetV2.parameter(manager, convName + "/lora_B", new float[outChannels() * rank],
                new Shape(outChannels(), rank, 1, 1));
        loraA.getArray().setRequiresGradient(true);
        loraB.getArray().setRequiresGradient(true);
        loraScale = scale;
        loraDropout = dropout;
        return new Parameter[] {loraA, loraB};
    }

    /** Folds the LoRA update into the kernel and removes it; @return the new kernel */
    float[] mergeLora() {
        float[] w = kernel.getArray().toFloatArray();
        int out = outChannels();
        int in = inChannels();
        int rank = (int) loraA.getArray().getShape().get(0);
        float[] a = loraA.getArray().toFloatArray();
        float[] b = loraB.getArray().toFloatArray();
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < rank; k++) {
                float bk = b[o * rank + k] * loraScale;
                if (bk != 0) {
                    for (int i = 0; i < in; i++) {
                        w[o * in + i] += bk * a[k * in + i];
                    }
                }
            }
        }
        kernel.getArray().set(w);
        loraA = null;
        loraB = null;
        return w;
    }
}
