package dev.graft.backbone.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A run of {@link ConvBn} units with an optional residual add: a MobileNetV2 inverted-residual
 * block (expand 1×1, depthwise 3×3, linear project 1×1; the first has no expansion), or a lone
 * convolution ({@code Conv1}, {@code Conv_1}).
 *
 * @param name the Keras name, e.g. {@code block_3} or {@code Conv1}
 * @param units applied in order
 * @param residual whether the input is added to the output (stride 1, same width)
 */
record InvertedResidual(String name, List<ConvBn> units, boolean residual) {

    NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = x;
        for (ConvBn unit : units) {
            NDArray next = unit.forward(ps, h, training);
            if (h != x) {
                h.close();
            }
            h = next;
        }
        return residual ? ConvBn.replace(h, h.add(x)) : h;
    }
}
