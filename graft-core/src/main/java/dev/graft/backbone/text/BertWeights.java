package dev.graft.backbone.text;

import ai.djl.nn.Parameter;
import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxInitializers.FloatTensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Copies Hugging Face–named BERT tensors into a {@link BertEncoder}, checking every shape. */
final class BertWeights {

    private final Map<String, FloatTensor> tensors;
    private final String source;
    private final Set<String> used = new HashSet<>();

    private BertWeights(Map<String, FloatTensor> tensors, String source) {
        this.tensors = tensors;
        this.source = source;
    }

    /**
     * @param encoder an initialised encoder
     * @param tensors tensors by Hugging Face name
     * @param onnxLayout true when the encoder's linear weights are stored [in, out] (ONNX MatMul),
     *     false for [out, in] (PyTorch, safetensors)
     * @param source a name for error messages
     * @return the number of values copied
     */
    static long load(BertEncoder encoder, Map<String, FloatTensor> tensors, boolean onnxLayout, String source) {
        BertWeights w = new BertWeights(tensors, source);
        long n = 0;
        for (Map<String, Parameter> group : BertParameters.byGroup(encoder)) {
            for (Map.Entry<String, Parameter> e : group.entrySet()) {
                boolean onnxMatrix = onnxLayout && e.getKey().startsWith("encoder.") && e.getKey().endsWith(".weight")
                        && !e.getKey().contains("LayerNorm");
                n += onnxMatrix ? w.transposed(e.getKey(), e.getValue()) : w.copy(e.getKey(), e.getValue());
            }
        }
        return n;
    }

    private long transposed(String name, Parameter weight) {
        FloatTensor t = get(name);
        long[] shape = weight.getArray().getShape().getShape();
        if (t.dims().length != 2 || t.dims()[0] != shape[1] || t.dims()[1] != shape[0]) {
            throw mismatch(name, t.dims(), new long[] {shape[1], shape[0]});
        }
        weight.getArray().set(dev.graft.io.Matrices.transpose(t.values(), (int) t.dims()[0], (int) t.dims()[1]));
        return t.values().length;
    }

    private long copy(String name, Parameter target) {
        FloatTensor t = get(name);
        long[] shape = target.getArray().getShape().getShape();
        if (!Arrays.equals(t.dims(), shape)) {
            throw mismatch(name, t.dims(), shape);
        }
        target.getArray().set(t.values());
        return t.values().length;
    }

    private FloatTensor get(String name) {
        FloatTensor t = tensors.get(name);
        if (t == null) {
            throw new GraftException(source + ": weight '" + name + "' is missing; is this a BERT-family model?");
        }
        used.add(name);
        return t;
    }

    private GraftException mismatch(String name, long[] found, long[] expected) {
        return new GraftException(source + ": weight '" + name + "' has shape " + Arrays.toString(found)
                + ", expected " + Arrays.toString(expected) + "; the model's configuration does not match its weights");
    }
}
