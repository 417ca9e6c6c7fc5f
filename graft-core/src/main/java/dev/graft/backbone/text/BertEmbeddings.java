package dev.graft.backbone.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Word + position + token-type(0) embeddings, then LayerNorm: input ids (B, L) → (B, L, H). */
final class BertEmbeddings extends AbstractBlock {

    final Parameter words;
    final Parameter positions;
    final Parameter tokenTypes;
    final LayerNorm norm;
    private final BertConfig config;

    BertEmbeddings(BertConfig config) {
        this.config = config;
        words = addParameter(table("word_embeddings", config.vocabSize(), config.hidden()));
        positions = addParameter(table("position_embeddings", config.maxPositions(), config.hidden()));
        tokenTypes = addParameter(table("token_type_embeddings", config.typeVocabSize(), config.hidden()));
        norm = addChildBlock("LayerNorm", LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build());
    }

    private static Parameter table(String name, int rows, int width) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(rows, width)).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        long length = ids.getShape().get(1);
        NDArray w = ps.getValue(words, ids.getDevice(), training);
        // views of parameters are created in the parameters' manager: move them to the batch's
        NDArray p = ps.getValue(positions, ids.getDevice(), training).get(new NDIndex("0:{}", length));
        p.attach(ids.getManager());
        NDArray t = ps.getValue(tokenTypes, ids.getDevice(), training).get(0);
        t.attach(ids.getManager());
        NDArray x = Embedding.embedding(ids, w, SparseFormat.DENSE).singletonOrThrow().add(p).add(t);
        return norm.forward(ps, new NDList(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hidden())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, getOutputShapes(inputShapes)[0]);
    }
}
