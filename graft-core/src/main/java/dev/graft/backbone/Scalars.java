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
        return withConstant(x, factor, NDArray::mul);
    }

    /**
     * {@return {@code x + addend}}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param addend the constant to add
     */
    public static NDArray plus(NDArray x, float addend) {
        return withConstant(x, addend, NDArray::add);
    }

    /**
     * {@return {@code x / divisor}}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param divisor the constant to divide by
     */
    public static NDArray over(NDArray x, float divisor) {
        return withConstant(x, divisor, NDArray::div);
    }

    /**
     * {@return {@code max(x, floor)}, element-wise}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param floor the lower bound
     */
    public static NDArray atLeast(NDArray x, float floor) {
        return withConstant(x, floor, NDArray::maximum);
    }

    /**
     * {@return {@code min(x, ceiling)}, element-wise}
     *
     * @param x a tensor, possibly part of a backward pass
     * @param ceiling the upper bound
     */
    public static NDArray atMost(NDArray x, float ceiling) {
        return withConstant(x, ceiling, NDArray::minimum);
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

    /** Applies {@code op} to {@code x} and the constant held in PyTorch's memory, released after. */
    private static NDArray withConstant(NDArray x, float value, java.util.function.BinaryOperator<NDArray> op) {
        try (NDArray k = x.getManager().full(new Shape(), value, x.getDataType())) {
            return op.apply(x, k);
        }
    }
}
