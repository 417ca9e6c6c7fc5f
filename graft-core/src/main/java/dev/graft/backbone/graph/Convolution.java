package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.graft.backbone.Scalars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A 2-D convolution, kernel {@code [out, in / groups, h, w]}, with an optional bias and a fused
 * activation. A pointwise (1×1, ungrouped) convolution is a linear map over channels and can
 * carry a LoRA update {@code W + scale · B·A}: {@code <layer>/lora_A [r, in, 1, 1]} and
 * {@code <layer>/lora_B [out, r, 1, 1]} (the layer is the kernel's name up to its last {@code /}),
 * B zero at first.
 */
public final class Convolution implements GraphOp {

    private final Parameter kernel;
    private final Parameter bias;
    private final int[] stride;
    private final int[] dilation;
    private final Padding padding;
    private final int groups;
    private final Activation activation;
    private Parameter loraA;
    private Parameter loraB;
    private float loraScale;
    private float loraDropout;

    /**
     * @param kernel {@code [out, in / groups, h, w]}
     * @param bias {@code [out]}, or null
     * @param stride rows, columns
     * @param dilation rows, columns
     * @param padding how the input is padded
     * @param groups 1, or the input channels for a depthwise convolution
     * @param activation applied to the output, or null
     */
    public Convolution(Parameter kernel, Parameter bias, int[] stride, int[] dilation, Padding padding, int groups,
            Activation activation) {
        this.kernel = kernel;
        this.bias = bias;
        this.stride = stride.clone();
        this.dilation = dilation.clone();
        this.padding = padding;
        this.groups = groups;
        this.activation = activation;
    }

    /** {@return the kernel parameter} */
    public Parameter kernel() {
        return kernel;
    }

    /** {@return the bias parameter, or null} */
    public Parameter bias() {
        return bias;
    }

    /** {@return strides (rows, columns)} */
    public int[] stride() {
        return stride.clone();
    }

    /** {@return dilations (rows, columns)} */
    public int[] dilation() {
        return dilation.clone();
    }

    /** {@return the padding} */
    public Padding padding() {
        return padding;
    }

    /** {@return the number of groups} */
    public int groups() {
        return groups;
    }

    /** {@return the fused activation, or null} */
    public Activation activation() {
        return activation;
    }

    /** {@return whether the convolution is 1×1, stride 1 and ungrouped: LoRA can adapt it} */
    public boolean pointwise() {
        Shape s = kernel.getArray().getShape();
        return groups == 1 && s.get(2) == 1 && s.get(3) == 1 && stride[0] == 1 && stride[1] == 1;
    }

    int inChannels() {
        return (int) kernel.getArray().getShape().get(1) * groups;
    }

    int outChannels() {
        return (int) kernel.getArray().getShape().get(0);
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        NDArray x = inputs.get(0);
        Shape ks = kernel.getArray().getShape();
        int[] window = {(int) (ks.get(2) - 1) * dilation[0] + 1, (int) (ks.get(3) - 1) * dilation[1] + 1};
        int[] pad = padding.resolve(x.getShape().get(2), x.getShape().get(3), window, stride);
        boolean symmetric = pad[0] == pad[1] && pad[2] == pad[3];
        NDArray in = symmetric || isZero(pad) ? x : x.pad(new Shape(pad[2], pad[3], pad[0], pad[1]), 0);
        Shape convPad = symmetric ? new Shape(pad[0], pad[2]) : new Shape(0, 0);
        NDArray w = ps.getValue(kernel, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        Shape s = new Shape(stride[0], stride[1]);
        NDArray y = Conv2d.conv2d(in, w, b, s, convPad, new Shape(dilation[0], dilation[1]), groups).singletonOrThrow();
        if (loraA != null) {
            NDArray a = ps.getValue(loraA, x.getDevice(), training);
            NDArray up = ps.getValue(loraB, x.getDevice(), training);
            NDArray lx = training && loraDropout > 0 ? Dropout.dropout(in, loraDropout, true).singletonOrThrow() : in;
            try (NDArray down = Conv2d.conv2d(lx, a).singletonOrThrow();
                    NDArray delta = Conv2d.conv2d(down, up).singletonOrThrow();
                    NDArray scaled = Scalars.times(delta, loraScale)) {
                NDArray sum = y.add(scaled);
                y.close();
                y = sum;
            }
            if (lx != in) {
                lx.close();
            }
        }
        if (in != x) {
            in.close();
        }
        if (activation == null) {
            return y;
        }
        try (NDArray linear = y) {
            return activation.apply(linear);
        }
    }

    private static boolean isZero(int[] pad) {
        return pad[0] == 0 && pad[1] == 0 && pad[2] == 0 && pad[3] == 0;
    }

    @Override
    public int channels(int[] inputChannels) {
        return outChannels();
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put(kernel.getName(), kernel);
        if (bias != null) {
            out.put(bias.getName(), bias);
        }
        return out;
    }

    @Override
    public boolean decays(String name) {
        return name.equals(kernel.getName());
    }

    @Override
    public boolean downsamples() {
        return stride[0] > 1 || stride[1] > 1;
    }

    /** {@return the LoRA parameters, A then B, or none} */
    List<Parameter> lora() {
        return loraA == null ? List.of() : List.of(loraA, loraB);
    }

    /**
     * Adds a LoRA update to this pointwise convolution.
     *
     * @return {A (r, in, 1, 1) random, B (out, r, 1, 1) zero}
     */
    List<Parameter> attachLora(NDManager manager, int rank, float scale, float dropout, Random random) {
        int in = inChannels();
        float[] init = new float[rank * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        String layer = kernel.getName().contains("/") ? kernel.getName().substring(0, kernel.getName().lastIndexOf('/'))
                : kernel.getName();
        loraA = LayerGraph.parameter(manager, layer + "/lora_A", init, new Shape(rank, in, 1, 1));
        loraB = LayerGraph.parameter(manager, layer + "/lora_B", new float[outChannels() * rank],
                new Shape(outChannels(), rank, 1, 1));
        loraA.getArray().setRequiresGradient(true);
        loraB.getArray().setRequiresGradient(true);
        loraScale = scale;
        loraDropout = dropout;
        return List.of(loraA, loraB);
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
