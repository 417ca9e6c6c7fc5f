package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.graft.backbone.Scalars;
import java.util.List;

/**
 * An element-wise activation (or, for {@link Kind#SOFTMAX}, one over the channels).
 *
 * @param kind which function
 * @param alpha the slope below zero (leaky ReLU, ELU), or the lower bound of {@link Kind#CLIP}
 * @param beta the upper bound of {@link Kind#CLIP}
 */
public record Activation(Kind kind, float alpha, float beta) implements GraphOp {

    /** The functions. */
    public enum Kind {
        /** {@code x} */
        LINEAR,
        /** {@code max(x, 0)} */
        RELU,
        /** {@code min(max(x, alpha), beta)}; ReLU6 is {@code clip(0, 6)} */
        CLIP,
        /** {@code x} above zero, {@code alpha·x} below */
        LEAKY_RELU,
        /** {@code 1 / (1 + e^-x)} */
        SIGMOID,
        /** {@code clip(alpha·x + beta, 0, 1)} (Keras and ONNX: alpha 0.2, beta 0.5) */
        HARD_SIGMOID,
        /** {@code x · relu6(x + 3) / 6} */
        HARD_SWISH,
        /** {@code x · sigmoid(x)} */
        SWISH,
        /** {@code tanh(x)} */
        TANH,
        /** {@code x} above zero, {@code alpha·(e^x − 1)} below */
        ELU,
        /** {@code log(1 + e^x)} */
        SOFTPLUS,
        /** softmax over the channels */
        SOFTMAX
    }

    /**
     * @param kind a function without parameters
     * @return the activation
     */
    public static Activation of(Kind kind) {
        return switch (kind) {
            case HARD_SIGMOID -> new Activation(kind, 0.2f, 0.5f);
            case LEAKY_RELU -> new Activation(kind, 0.3f, 0);
            case ELU -> new Activation(kind, 1f, 0);
            case CLIP -> new Activation(kind, 0f, 6f);
            default -> new Activation(kind, 0, 0);
        };
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        return apply(inputs.get(0));
    }

    /**
     * @param x the input, not closed
     * @return a new tensor
     */
    public NDArray apply(NDArray x) {
        return switch (kind) {
            case LINEAR -> x.duplicate();
            case RELU -> ai.djl.nn.Activation.relu(x);
            case CLIP -> {
                try (NDArray low = Scalars.atLeast(x, alpha)) {
                    yield Scalars.atMost(low, beta);
                }
            }
            case LEAKY_RELU -> {
                try (NDArray positive = ai.djl.nn.Activation.relu(x); NDArray negative = Scalars.atMost(x, 0f);
                        NDArray scaled = Scalars.times(negative, alpha)) {
                    yield positive.add(scaled);
                }
            }
            case SIGMOID -> ai.djl.nn.Activation.sigmoid(x);
            case HARD_SIGMOID -> hardSigmoid(x, alpha, beta);
            case HARD_SWISH -> {
                try (NDArray gate = hardSigmoid(x, 1f / 6, 0.5f)) {
                    yield x.mul(gate);
                }
            }
            case SWISH -> {
                try (NDArray gate = ai.djl.nn.Activation.sigmoid(x)) {
                    yield x.mul(gate);
                }
            }
            case TANH -> ai.djl.nn.Activation.tanh(x);
            case ELU -> {
                try (NDArray positive = ai.djl.nn.Activation.relu(x); NDArray negative = Scalars.atMost(x, 0f);
                        NDArray exp = negative.exp(); NDArray one = Scalars.plus(exp, -1f);
                        NDArray scaled = Scalars.times(one, alpha)) {
                    yield positive.add(scaled);
                }
            }
            case SOFTPLUS -> ai.djl.nn.Activation.softPlus(x);
            case SOFTMAX -> x.softmax(1);
        };
    }

    private static NDArray hardSigmoid(NDArray x, float slope, float offset) {
        try (NDArray scaled = Scalars.times(x, slope); NDArray shifted = Scalars.plus(scaled, offset);
                NDArray low = Scalars.atLeast(shifted, 0f)) {
            return Scalars.atMost(low, 1f);
        }
    }

    @Override
    public int channels(int[] inputChannels) {
        return inputChannels[0];
    }
}
