package dev.graft.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.graft.GraftException;
import dev.graft.backbone.OnnxInitializers.FloatTensor;
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
     * @param tensors tensors by Hugging Face name; linear weights stored [in, out]
     * @param source a name for error messages
     * @return the number of values copied
     */
    static long load(BertEncoder encoder, Map<String, FloatTensor> tensors, String source) {
        BertWeights w = new BertWeights(tensors, source);
        long n = 0;
        BertEmbeddings e = encoder.embeddings;
        n += w.copy("embeddings.word_embeddings.weight", e.words);
        n += w.copy("embeddings.position_embeddings.weight", e.positions);
        n += w.copy("embeddings.token_type_embeddings.weight", e.tokenTypes);
        n += w.norm("embeddings.LayerNorm", e.norm);
        for (int i = 0; i < encoder.layers.size(); i++) {
            BertLayer l = encoder.layers.get(i);
            String p = "encoder.layer." + i + ".";
            n += w.linear(p + "attention.self.query", l.query);
            n += w.linear(p + "attention.self.key", l.key);
            n += w.linear(p + "attention.self.value", l.value);
            n += w.linear(p + "attention.output.dense", l.attentionOutput);
            n += w.norm(p + "attention.output.LayerNorm", l.attentionNorm);
            n += w.linear(p + "intermediate.dense", l.intermediate);
            n += w.linear(p + "output.dense", l.output);
            n += w.norm(p + "output.LayerNorm", l.outputNorm);
        }
        return n;
    }

    private long linear(String prefix, Linear block) {
        FloatTensor t = get(prefix + ".weight");
        Parameter weight = param(block, "weight");
        long[] shape = weight.getArray().getShape().getShape();
        if (t.dims().length != 2 || t.dims()[0] != shape[1] || t.dims()[1] != shape[0]) {
            throw mismatch(prefix + ".weight", t.dims(), new long[] {shape[1], shape[0]});
        }
        weight.getArray().set(transpose(t.values(), (int) t.dims()[0], (int) t.dims()[1]));
        return t.values().length + copy(prefix + ".bias", param(block, "bias"));
    }

    private long norm(String prefix, LayerNorm block) {
        return copy(prefix + ".weight", param(block, "gamma")) + copy(prefix + ".bias", param(block, "beta"));
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

    private static Parameter param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null) {
            throw new IllegalStateException("block has no parameter " + name + ": " + block.getParameters().keys());
        }
        return p;
    }

    private GraftException mismatch(String name, long[] found, long[] expected) {
        return new GraftException(source + ": weight '" + name + "' has shape " + Arrays.toString(found)
                + ", expected " + Arrays.toString(expected) + "; the model's configuration does not match its weights");
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
