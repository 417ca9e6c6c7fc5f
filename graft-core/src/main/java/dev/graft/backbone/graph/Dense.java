package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fully connected layer on (B, in) rows: {@code x·W + b}, kernel {@code [in, out]} (Keras'
 * layout), with a fused activation.
 *
 * @param kernel {@code [in, out]}
 * @param bias {@code [out]}, or null
 * @param activation applied to the output, or null
 */
public record Dense(Parameter kernel, Parameter bias, Activation activation) implements GraphOp {

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        NDArray x = inputs.get(0);
        if (x.getShape().dimension() != 2) {
            throw new dev.graft.GraftException("dense layer " + kernel.getName() + " got a tensor of shape "
                    + x.getShape() + "; Graft applies dense layers to flat (batch, features) inputs only");
        }
        NDArray y = x.matMul(ps.getValue(kernel, x.getDevice(), training));
        if (bias != null) {
            NDArray biased = y.add(ps.getValue(bias, x.getDevice(), training));
            y.close();
            y = biased;
        }
        if (activation == null) {
            return y;
        }
        try (NDArray linear = y) {
            return activation.apply(linear);
        }
    }

    @Override
    public int channels(int[] inputChannels) {
        return (int) kernel.getArray().getShape().get(1);
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
}
