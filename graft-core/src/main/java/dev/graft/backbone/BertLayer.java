package dev.graft.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One Hugging Face BERT transformer block (post-LayerNorm, erf GELU).
 *
 * <p>Inputs: hidden states (B, L, H) and the additive attention bias (B, 1, 1, L), 0 for tokens
 * and a large negative number for padding. Output: hidden states (B, L, H).
 */
final class BertLayer extends AbstractBlock {

    final Linear query;
    final Linear key;
    final Linear value;
    final Linear attentionOutput;
    final LayerNorm attentionNorm;
    final Linear intermediate;
    final Linear output;
    final LayerNorm outputNorm;
    private final BertConfig config;
    private float dropout;

    BertLayer(BertConfig config) {
        this.config = config;
        query = addChildBlock("query", linear(config.hidden()));
        key = addChildBlock("key", linear(config.hidden()));
        value = addChildBlock("value", linear(config.hidden()));
        attentionOutput = addChildBlock("attention_output", linear(config.hidden()));
        attentionNorm = addChildBlock("attention_norm", norm(config));
        intermediate = addChildBlock("intermediate", linear(config.intermediate()));
        output = addChildBlock("output", linear(config.hidden()));
        outputNorm = addChildBlock("output_norm", norm(config));
    }

    /** @param rate dropout on the attention and feed-forward outputs, in training only (0 = none) */
    void setDropout(float rate) {
        this.dropout = rate;
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static LayerNorm norm(BertConfig config) {
        return LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.get(1);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        Shape split = new Shape(batch, length, config.heads(), config.headSize());

        NDArray q = apply(query, ps, x, training).div((float) Math.sqrt(config.headSize())).reshape(split).transpose(0, 2, 1, 3);
        NDArray k = apply(key, ps, x, training).reshape(split).transpose(0, 2, 3, 1);
        NDArray v = apply(value, ps, x, training).reshape(split).transpose(0, 2, 1, 3);
        NDArray scores = q.matMul(k).add(bias);
        NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hidden());
        NDArray attended = apply(attentionNorm, ps, drop(apply(attentionOutput, ps, context, training), training).add(x), training);

        NDArray ffn = Activation.gelu(apply(intermediate, ps, attended, training));
        NDArray out = apply(outputNorm, ps, drop(apply(output, ps, ffn, training), training).add(attended), training);
        return new NDList(out);
    }

    private static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape wide = new Shape(x.get(0), x.get(1), config.intermediate());
        for (Block b : new Block[] {query, key, value, attentionOutput, attentionNorm, intermediate, outputNorm}) {
            b.initialize(manager, dataType, x);
        }
        output.initialize(manager, dataType, wide);
    }
}
