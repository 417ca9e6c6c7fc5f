package dev.graft.backbone.onnx;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 initializers of an ONNX model (read by {@link OnnxModel}), with the anonymous MatMul
 * weights named after the bias they feed ({@code <prefix>.weight}, stored
 * {@code [in, out]}).
 */
public final class OnnxInitializers {

    /**
     * A float tensor: its dimensions and values, row-major.
     *
     * @param dims the dimensions
     * @param values the values, row-major
     */
    public record FloatTensor(long[] dims, float[] values) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private OnnxInitializers() {}

    /**
     * @param model the bytes of an ONNX file
     * @param source a name for error messages
     * @return float initializers by name; MatMul weights renamed {@code <prefix>.weight}
     */
    public static Map<String, FloatTensor> read(byte[] model, String source) {
        OnnxModel parsed = OnnxModel.parse(model, source);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        parsed.initializers().forEach((name, t) -> {
            if (t.floats() != null) {
                tensors.put(name, new FloatTensor(t.dims(), t.floats()));
            }
        });
        return nameMatMulWeights(tensors, parsed.nodes());
    }

    private static Map<String, FloatTensor> nameMatMulWeights(Map<String, FloatTensor> tensors, List<OnnxModel.Node> nodes) {
        Map<String, OnnxModel.Node> consumerOf = new HashMap<>();
        for (OnnxModel.Node n : nodes) {
            for (String in : n.inputs()) {
                consumerOf.putIfAbsent(in, n);
            }
        }
        Map<String, FloatTensor> named = new LinkedHashMap<>(tensors);
        for (OnnxModel.Node n : nodes) {
            if (!n.op().equals("MatMul") || n.inputs().size() != 2 || n.outputs().isEmpty()) {
                continue;
            }
            String weight = n.inputs().get(1);
            OnnxModel.Node add = consumerOf.get(n.outputs().get(0));
            if (!tensors.containsKey(weight) || add == null || !add.op().equals("Add")) {
                continue;
            }
            for (String other : add.inputs()) {
                if (other.endsWith(".bias") && tensors.containsKey(other)) {
                    String prefix = other.substring(0, other.length() - ".bias".length());
                    named.put(prefix + ".weight", named.remove(weight));
                }
            }
        }
        return named;
    }
}
