package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;

/**
 * One operation of a {@link LayerGraph}: tensors are NCHW images or (B, features) rows.
 */
public interface GraphOp {

    /**
     * @param ps the parameter store of the pass
     * @param inputs the operation's inputs, in order; not closed by the operation
     * @param training whether this is a training pass
     * @return a new tensor
     */
    NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training);

    /**
     * @param inputChannels the channel count of each input (-1 when unknown)
     * @return the output's channel count, or -1 when it cannot be told without running
     */
    int channels(int[] inputChannels);

    /** {@return the trainable parameters by name} */
    default Map<String, Parameter> parameters() {
        return Map.of();
    }

    /**
     * @param name one of {@link #parameters()}
     * @return whether weight decay applies (kernels, not BatchNorm scales or biases)
     */
    default boolean decays(String name) {
        return false;
    }

    /** {@return whether the output has a lower resolution than the input} */
    default boolean downsamples() {
        return false;
    }
}
