package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Combines two or more tensors: element-wise sum or product (with broadcasting, as in a
 * squeeze-and-excitation gate), or concatenation over the channels.
 *
 * @param kind how
 */
public record Merge(Kind kind) implements GraphOp {

    /** The ways to combine. */
    public enum Kind {
        /** element-wise sum */
        ADD,
        /** element-wise product */
        MULTIPLY,
        /** concatenation over the channels (axis 1) */
        CONCAT
    }

    @Override
    public NDArray apply(ParameterStore ps, List<NDArray> inputs, boolean training) {
        if (kind == Kind.CONCAT) {
            return NDArrays.concat(new NDList(inputs.toArray(NDArray[]::new)), 1);
        }
        NDArray out = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            NDArray next = kind == Kind.ADD ? out.add(inputs.get(i)) : out.mul(inputs.get(i));
            if (out != inputs.get(0)) {
                out.close();
            }
            out = next;
        }
        return out;
    }

    @Override
    public int channels(int[] inputChannels) {
        if (kind != Kind.CONCAT) {
            int c = -1;
            for (int i : inputChannels) {
                c = Math.max(c, i);
            }
            return c;
        }
        int sum = 0;
        for (int c : inputChannels) {
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }
}
