package dev.graft.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant on tensors that take part in a backward pass. DJL's
 * {@code mul(Number)}, {@code div(Number)} and {@code maximum(Number)} wrap the constant in a Java
 * buffer and release it at once, while PyTorch's autograd keeps that tensor for the backward pass:
 * once the garbage collector has freed the buffer and the memory is reused, the backward pass reads
 * garbage (NaN gradients at random, in a JVM that has run for a while). These keep the constant in
 * PyTorch's own, reference-counted memory. Never use the {@code Number} forms on such tensors.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * {@return {@code x · factor}}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param factor the constant to multiply by
     */
    public static NDArray times(NDArray x, float factor) {
        try (NDArray k = constant(x, factor)) {
            return x.mul(k);
        }
    }

    /**
     * {@return {@code x / divisor}}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param divisor the constant to divide by
     */
    public static NDArray over(NDArray x, float divisor) {
        try (NDArray k = constant(x, divisor)) {
            return x.div(k);
        }
    }

    /**
     * {@return {@code max(x, floor)}, element-wise}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param floor the lower bound
     */
    public static NDArray atLeast(NDArray x, float floor) {
        try (NDArray k = constant(x, floor)) {
            return x.maximum(k);
        }
    }

    /**
     * {@return {@code min(x, ceiling)}, element-wise}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param ceiling the upper bound
     */
    public static NDArray atMost(NDArray x, float ceiling) {
        try (NDArray k = constant(x, ceiling)) {
            return x.minimum(k);
        }
    }

    /**
     * {@return {@code min(max(x, 0), 6)}: DJL's {@code Activation.relu6} uses {@code minimum(Number)}}
     *
     * @param x a tensor, possibly part of a backward pass
     */
    public static NDArray relu6(NDArray x) {
        try (NDArray positive = ai.djl.nn.Activation.relu(x)) {
            return atMost(positive, 6f);
        }
    }

    private static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
