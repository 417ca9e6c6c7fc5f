package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Operations that only move values: identity (dropout, input layers), flattening to (B, N), in
 * the channels-last order Keras uses ({@code H, W, C}) or the channels-first order of ONNX, a
 * reshape to a target shape given in the same order, constant padding, and {@code x·scale + offset}.
 *
 * @param kind which
 * @param channelsLast whether flatten and reshape count in Keras' {@code H, W, C} order
 * @param target a reshape's target shape without the batch, in that order
 * @param pad constant padding (top, bottom, left, right)
 * @param scale for {@link Kind#RESCALE}
 * @param offset for {@link Kind#RESCALE}
 */
public record Reshaping(Kind kind, boolean channelsLast, long[] target, int[] pad, float scale, float offset)
        implements GraphOp {

    /** The operations. */
    public enum Kind {
        /** the input, unchanged */
        IDENTITY,
        /** (B, N) */
        FLATTEN,
        /** (B, target...) */
        RESHAPE,
        /** zero padding of the borders */
        PAD,
        /** {@code x·scale + offset} */
        RESCALE
    }

    /** {@return the identity} */
    public static Reshaping identity() {
        return new Reshaping(Kind.IDENTITY, false, null, null, 1, 0);
    }

    /**
     * @param channelsLast whether values are flattened in {@code H, W, C} order
     * @return a flatten
     */
    public static Reshaping flatten(boolean channelsLast) {
        return new Reshaping(Kind.FLATTEN, channelsLast, null, null, 1, 0);
    }

    /**
     * @param channelsLast whether {@code target} is {@code (H, W, C)} rather than {@code (C, H, W)}
     * @param target the shape without the batch; -1 once for "the rest"
     * @return a reshape
     */
    public static Reshaping reshape(boolean channelsLast, long[] target) {
        return new Reshaping(Kind.RESHAPE, channelsLast, target.clone(), null, 1, 0);
    }

    /**
     * @param top rows above
     * @param bottom rows below
     * @param left columns left
     * @param right columns right
     * @return zero padding
     */
    public static Reshaping pad(int top, int bottom, int left, int right) {
        return new Reshaping(Kind.PAD, false, null, new int[] {top, bottom, left, right}, 1, 0);
    }

    /**
     * @param scale multiplies
     * @param offset then adds
     * @return {@code x·scale + offset}
     */
    public static Reshaping rescale(float scale, float offset) {
        return new Reshaping(Kind.RESCALE, false, null, null, scale, offset);
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        NDArray x = inputs.get(0);
        return switch (kind) {
            case IDENTITY -> x.duplicate();
            case FLATTEN -> {
                long batch = x.getShape().get(0);
                if (channelsLast && x.getShape().dimension() == 4) {
                    try (NDArray t = x.transpose(0, 2, 3, 1)) {
                        yield t.reshape(batch, -1);
                    }
                }
                yield x.reshape(batch, -1);
            }
            case RESHAPE -> reshape(x);
            case PAD -> x.pad(new ai.djl.ndarray.types.Shape(pad[2], pad[3], pad[0], pad[1]), 0);
            case RESCALE -> {
                try (NDArray scaled = dev.graft.backbone.Scalars.times(x, scale)) {
                    yield dev.graft.backbone.Scalars.plus(scaled, offset);
                }
            }
        };
    }

    private NDArray reshape(NDArray x) {
        long[] shape = new long[target.length + 1];
        shape[0] = x.getShape().get(0);
        System.arraycopy(target, 0, shape, 1, target.length);
        boolean fromImage = channelsLast && x.getShape().dimension() == 4;
        boolean toImage = channelsLast && target.length == 3;
        try (NDArray source = fromImage ? x.transpose(0, 2, 3, 1) : x.duplicate();
                NDArray reshaped = source.reshape(shape)) {
            if (!toImage) {
                return reshaped.duplicate();
            }
            // a transposed view has channels-last strides, on which PyTorch's grouped convolutions with a depth
            // multiplier compute wrong values (libtorch 2.7.1): flattening copies it into the contiguous layout
            try (NDArray channelsFirst = reshaped.transpose(0, 3, 1, 2); NDArray flat = channelsFirst.flatten()) {
                return flat.reshape(channelsFirst.getShape());
            }
        }
    }

    @Override
    public int channels(int[] inputChannels) {
        return switch (kind) {
            case IDENTITY, PAD, RESCALE -> inputChannels[0];
            case FLATTEN -> -1;
            case RESHAPE -> target.length == 3 ? (int) target[channelsLast ? 2 : 0] : (int) target[0];
        };
    }
}
