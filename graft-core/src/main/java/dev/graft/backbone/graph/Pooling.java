package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Max or average pooling over a window, or over the whole image ({@code size} null). Padded
 * pixels never win a maximum and never count in an average (TensorFlow's behaviour, and ONNX's
 * default {@code count_include_pad=0}).
 *
 * @param max max pooling, else average
 * @param size window rows and columns, or null for global pooling
 * @param stride strides (rows, columns), or null for global pooling
 * @param padding how the input is padded
 * @param keepSpatial for global pooling: whether the output is (B, C, 1, 1) rather than (B, C)
 */
public record Pooling(boolean max, int[] size, int[] stride, Padding padding, boolean keepSpatial) implements GraphOp {

    /**
     * @param max max pooling, else average
     * @param keepSpatial whether the output is (B, C, 1, 1) rather than (B, C)
     * @return global pooling
     */
    public static Pooling global(boolean max, boolean keepSpatial) {
        return new Pooling(max, null, null, Padding.VALID, keepSpatial);
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        NDArray x = inputs.get(0);
        if (size == null) {
            return global(x, max, keepSpatial);
        }
        int[] pad = padding.resolve(x.getShape().get(2), x.getShape().get(3), size, stride);
        Shape window = new Shape(size[0], size[1]);
        Shape step = new Shape(stride[0], stride[1]);
        Shape none = new Shape(0, 0);
        if (pad[0] == 0 && pad[1] == 0 && pad[2] == 0 && pad[3] == 0) {
            return max ? Pool.maxPool2d(x, window, step, none, false) : Pool.avgPool2d(x, window, step, none, false, true);
        }
        Shape around = new Shape(pad[2], pad[3], pad[0], pad[1]);
        if (max) {
            try (NDArray padded = x.pad(around, -Float.MAX_VALUE)) {
                return Pool.maxPool2d(padded, window, step, none, false);
            }
        }
        try (NDArray padded = x.pad(around, 0); NDArray sums = Pool.avgPool2d(padded, window, step, none, false, true);
                NDArray ones = x.getManager().ones(new Shape(1, 1, x.getShape().get(2), x.getShape().get(3)));
                NDArray mask = ones.pad(around, 0); NDArray share = Pool.avgPool2d(mask, window, step, none, false, true)) {
            return sums.div(share);
        }
    }

    /**
     * @param x (B, C, H, W)
     * @param max the maximum, else the mean
     * @param keepSpatial whether the result is (B, C, 1, 1) rather than (B, C)
     * @return the maximum or mean over height and width
     */
    static NDArray global(NDArray x, boolean max, boolean keepSpatial) {
        Shape s = x.getShape();
        int[] axis = {2};
        try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
                NDArray pooled = max ? flat.max(axis) : flat.mean(axis)) {
            return keepSpatial ? pooled.reshape(s.get(0), s.get(1), 1, 1) : pooled.reshape(s.get(0), s.get(1));
        }
    }

    @Override
    public int channels(int[] inputChannels) {
        return inputChannels[0];
    }

    @Override
    public boolean downsamples() {
        return size == null || stride[0] > 1 || stride[1] > 1;
    }
}
