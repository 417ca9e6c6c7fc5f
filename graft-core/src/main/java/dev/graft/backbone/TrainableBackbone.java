package dev.graft.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;

/**
 * A backbone whose layer groups can be unfrozen and trained.
 *
 * <p>Boundaries count layer groups from the input: boundary {@code b} means the first {@code b}
 * groups have been applied. Boundary 0 is the token ids; boundary {@link #groupCount()} is the
 * pooled features.
 */
public interface TrainableBackbone extends Backbone {

    /** {@return the input encoder: the tokenizer (truncating at the maximum length), or the image pipeline} */
    InputEncoder encoder();

    /** {@return number of layer groups, {@code layerGroups().size()}} */
    default int groupCount() {
        return layerGroups().size();
    }

    /**
     * @param group index into {@link #layerGroups()}
     * @return the group's parameters by stable name (Hugging Face names; linear weights [out, in])
     */
    Map<String, Parameter> parameters(int group);

    /**
     * @param name a parameter name
     * @return whether weight decay applies to it (not to norms and biases)
     */
    boolean decays(String name);

    /**
     * @param group index into {@link #layerGroups()}
     * @param trainable whether its parameters receive gradients
     */
    void setTrainable(int group, boolean trainable);

    /**
     * @param group index into {@link #layerGroups()}
     * @param policy what its BatchNorm layers do in training mode; a no-op for backbones without any
     */
    default void setBatchNorm(int group, dev.graft.adapt.BatchNormPolicy policy) {}

    /**
     * Re-estimates the BatchNorm running statistics of the given groups on target data, without
     * gradients (AdaBN); a no-op for backbones without BatchNorm.
     *
     * @param batches target inputs, evaluation encoding
     * @param groups indices of the groups to recalibrate
     */
    default void recalibrateBatchNorm(List<InputBatch> batches, java.util.Set<Integer> groups) {}

    /**
     * {@return state that training changes without gradients and that is not among the
     *     {@link #parameters} (BatchNorm running statistics), by name; saved with the tuned weights
     *     and accepted by {@link #loadTuned}}
     */
    default Map<String, float[]> statistics() {
        return Map.of();
    }

    /**
     * Puts back running statistics as {@link #statistics} returned them (from a checkpoint, or the
     * best epoch's); unknown names are an error.
     *
     * @param statistics values by name
     */
    default void restoreStatistics(Map<String, float[]> statistics) {
        if (!statistics.isEmpty()) {
            throw new IllegalArgumentException(id() + " keeps no running statistics");
        }
    }

    /** @param rate dropout inside the backbone during training (0 = none) */
    void setDropout(float rate);

    /**
     * Runs the frozen groups below a boundary in inference mode.
     *
     * @param manager owns the result
     * @param batch encoded inputs
     * @param boundary 1 to {@link #groupCount()}
     * @return hidden states (B, L, H), or pooled features (B, H) at the top boundary
     */
    NDArray hiddenAt(NDManager manager, InputBatch batch, int boundary);

    /**
     * Runs the groups from a boundary upwards and pools.
     *
     * @param ps parameter store of the training step
     * @param input ids (boundary 0), hidden states, or pooled features (top boundary)
     * @param mask attention mask (B, L) int64, or null for inputs without one
     * @param boundary groups already applied to {@code input}
     * @param training training mode (dropout on)
     * @return pooled features (B, H)
     */
    NDArray forwardFrom(ParameterStore ps, NDArray input, NDArray mask, int boundary, boolean training);

    /**
     * Replaces pretrained parameters with fine-tuned ones; the features change, so the
     * preprocessing key (and thus the feature cache) changes too.
     *
     * @param tensors values by parameter name, [out, in] for linear weights
     * @param tunedSha256 hash identifying these tensors
     */
    void loadTuned(Map<String, float[]> tensors, String tunedSha256);

    /**
     * Adds adapters to the top blocks; untrained, they leave the features unchanged (LoRA) or
     * nearly so (prefix).
     *
     * @param spec which adapters and where
     * @param seed seeds their random initialisation
     * @return the new trainable parameters by name
     */
    Map<String, Parameter> attachAdapters(dev.graft.adapt.AdapterSpec spec, long seed);

    /**
     * @param spec adapters as they would be attached
     * @return how many parameters they would add
     */
    long adapterParameterCount(dev.graft.adapt.AdapterSpec spec);

    /** {@return the adapters' parameters by name (empty without adapters)} */
    Map<String, Parameter> adapterParameters();

    /**
     * Folds LoRA adapters into the weights they adapt and removes them.
     *
     * @return the merged weights by name
     */
    Map<String, float[]> mergeAdapters();

    /** {@return names of all parameters, by group} */
    default List<List<String>> parameterNames() {
        List<List<String>> out = new java.util.ArrayList<>();
        for (int g = 0; g < groupCount(); g++) {
            out.add(List.copyOf(parameters(g).keySet()));
        }
        return out;
    }
}
