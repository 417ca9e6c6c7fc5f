package dev.graft.backbone.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.graft.backbone.Scalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A BERT encoder with sentence-transformers pooling ({@link Pooling}).
 *
 * <p>Inputs: token ids (B, L) int64 and attention mask (B, L) int64 (1 = token, 0 = padding).
 * Output: sentence embeddings (B, H).
 */
final class BertEncoder extends AbstractBlock {

    final BertEmbeddings embeddings;
    final List<BertLayer> layers;
    private final BertConfig config;
    private final Pooling pooling;

    BertEncoder(BertConfig config, Pooling pooling) {
        this.config = config;
        this.pooling = pooling;
        embeddings = addChildBlock("embeddings", new BertEmbeddings(config));
        List<BertLayer> list = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            list.add(addChildBlock("layer" + i, new BertLayer(config)));
        }
        layers = Collections.unmodifiableList(list);
    }

    BertConfig config() {
        return config;
    }

    Pooling pooling() {
        return pooling;
    }

    /** {@return number of layer groups: embeddings plus one per block} */
    int groupCount() {
        return 1 + layers.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forwardFrom(ps, inputs.get(0), inputs.get(1), 0, training));
    }

    /**
     * Runs the groups from {@code boundary} upwards and pools.
     *
     * @param input token ids (B, L) when {@code boundary} is 0; else the hidden states (B, L, H)
     *     after the first {@code boundary} groups; or, when every group is below the boundary, the
     *     pooled features (B, H) themselves
     * @param mask attention mask (B, L)
     * @param boundary groups already applied to {@code input}
     * @return sentence embeddings (B, H), unit length
     */
    NDArray forwardFrom(ParameterStore ps, NDArray input, NDArray mask, int boundary, boolean training) {
        if (boundary == groupCount() && input.getShape().dimension() == 2) {
            return input;
        }
        NDArray floatMask = mask.toType(DataType.FLOAT32, false);
        NDArray h = boundary == 0 ? embed(ps, input, training) : input;
        h = runBlocks(ps, h, floatMask, Math.max(0, boundary - 1), layers.size(), training);
        return pool(h, floatMask);
    }

    /**
     * {@return the hidden states (B, L, H) after the first {@code boundary} groups (1 or more), or
     *     the pooled features (B, H) when {@code boundary} is {@link #groupCount()}}
     */
    NDArray hiddenAt(ParameterStore ps, NDArray ids, NDArray mask, int boundary, boolean training) {
        if (boundary < 1 || boundary > groupCount()) {
            throw new IllegalArgumentException("boundary " + boundary + " outside 1.." + groupCount());
        }
        NDArray floatMask = mask.toType(DataType.FLOAT32, false);
        NDArray h = runBlocks(ps, embed(ps, ids, training), floatMask, 0, boundary - 1, training);
        return boundary == groupCount() ? pool(h, floatMask) : h;
    }

    private NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
        return embeddings.forward(ps, new NDList(ids), training).singletonOrThrow();
    }

    private NDArray runBlocks(ParameterStore ps, NDArray h, NDArray floatMask, int from, int to, boolean training) {
        NDArray bias = floatMask.sub(1f).mul(1e9f).expandDims(1).expandDims(1);
        NDArray input = h;
        for (int i = from; i < to; i++) {
            BertLayer layer = layers.get(i);
            h = training ? forwardLayer(layer, ps, h, bias, true) : forwardLayerScoped(layer, ps, h, bias, h != input);
        }
        return h;
    }

    private static NDArray forwardLayer(BertLayer layer, ParameterStore ps, NDArray h, NDArray bias, boolean training) {
        return layer.forward(ps, new NDList(h, bias), training).singletonOrThrow();
    }

    /**
     * Frees each layer's intermediates as soon as the layer is done (inference only), and its
     * input too when that was made here ({@code freeInput}), never the caller's.
     */
    private static NDArray forwardLayerScoped(BertLayer layer, ParameterStore ps, NDArray h, NDArray bias,
            boolean freeInput) {
        NDManager outer = h.getManager();
        try (NDManager scope = outer.newSubManager()) {
            if (freeInput) {
                h.attach(scope);
            }
            NDArray out = forwardLayer(layer, ps, h, bias, false);
            out.attach(outer);
            return out;
        }
    }

    private NDArray pool(NDArray hidden, NDArray mask) {
        NDArray v;
        if (pooling.mode().equals("cls")) {
            v = hidden.get(":, 0, :");
        } else {
            NDArray m = mask.expandDims(2);
            NDArray summed = hidden.mul(m).sum(new int[] {1});
            NDArray counts = m.sum(new int[] {1}).maximum(1e-9f);
            v = summed.div(counts);
        }
        if (!pooling.normalize()) {
            return v;
        }
        NDArray norm = Scalars.atLeast(v.norm(new int[] {1}, true), 1e-12f);
        return v.div(norm);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.hidden())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embeddings.initialize(manager, dataType, ids);
        Shape hidden = new Shape(ids.get(0), ids.get(1), config.hidden());
        Shape bias = new Shape(ids.get(0), 1, 1, ids.get(1));
        for (BertLayer layer : layers) {
            layer.initialize(manager, dataType, hidden, bias);
        }
    }
}
