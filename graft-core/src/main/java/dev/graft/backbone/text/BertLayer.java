package dev.graft.backbone.text;

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
import dev.graft.backbone.Scalars;

/**
 * One Hugging Face BERT transformer block (post-LayerNorm, erf GELU).
 *
 * <p>Inputs: hidden states (B, L, H) and the additive attention bias (B, 1, 1, L), 0 for tokens
 * and a large negative number for padding. Output: hidden states (B, L, H).
 *
 * <p>Public only so that graft-bench's {@code AttentionBlockKernel} can time one block; not part
 * of Graft's API (backbones build their blocks themselves).
 */
public final class BertLayer extends AbstractBlock {

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
    /** LoRA adapters by target role (query, key, value, attention-output, intermediate, output). */
    final java.util.Map<String, LoraAdapter> lora = new java.util.LinkedHashMap<>();
    PrefixAdapter prefix;

    /**
     * A block with uninitialised weights; call {@link #initialize} before the first forward pass.
     *
     * @param config the encoder's sizes (hidden, intermediate, heads, LayerNorm epsilon)
     */
    public BertLayer(BertConfig config) {
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

        NDArray q = Scalars.over(adapted("query", query, ps, x, training), (float) Math.sqrt(config.headSize()))
                .reshape(split).transpose(0, 2, 1, 3);
        NDArray kx = adapted("key", key, ps, x, training);
        NDArray vx = adapted("value", value, ps, x, training);
        long keyLength = length;
        if (prefix != null) {
            Shape prefixShape = new Shape(batch, prefix.tokens, config.hidden());
            kx = inBatch(ps.getValue(prefix.keys, x.getDevice(), training), x).broadcast(prefixShape).concat(kx, 1);
            vx = inBatch(ps.getValue(prefix.values, x.getDevice(), training), x).broadcast(prefixShape).concat(vx, 1);
            bias = x.getManager().zeros(new Shape(batch, 1, 1, prefix.tokens)).concat(bias, 3);
            keyLength += prefix.tokens;
        }
        Shape keySplit = new Shape(batch, keyLength, config.heads(), config.headSize());
        NDArray k = kx.reshape(keySplit).transpose(0, 2, 3, 1);
        NDArray v = vx.reshape(keySplit).transpose(0, 2, 1, 3);
        NDArray scores = q.matMul(k).add(bias);
        NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hidden());
        NDArray attended = apply(attentionNorm, ps,
                drop(adapted("attention-output", attentionOutput, ps, context, training), training).add(x), training);

        NDArray ffn = Activation.gelu(adapted("intermediate", intermediate, ps, attended, training));
        NDArray out = apply(outputNorm, ps,
                drop(adapted("output", output, ps, ffn, training), training).add(attended), training);
        return new NDList(out);
    }

    /**
     * A view of a parameter lives in the parameter's manager, and so would everything computed
     * from it first: without this, each step's activations would stay reachable until the model closes.
     */
    private static NDArray inBatch(NDArray parameter, NDArray batch) {
        NDArray view = parameter.expandDims(0);
        view.attach(batch.getManager());
        return view;
    }

    private NDArray adapted(String role, Linear layer, ParameterStore ps, NDArray x, boolean training) {
        NDArray y = apply(layer, ps, x, training);
        LoraAdapter adapter = lora.get(role);
        return adapter == null ? y : y.add(adapter.delta(ps, x, training));
    }

    /** {@return the linear layer playing a LoRA target role} */
    Linear linear(String role) {
        return switch (role) {
            case "query" -> query;
            case "key" -> key;
            case "value" -> value;
            case "attention-output" -> attentionOutput;
            case "intermediate" -> intermediate;
            case "output" -> output;
            default -> throw new IllegalArgumentException("no linear layer for role " + role);
        };
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
