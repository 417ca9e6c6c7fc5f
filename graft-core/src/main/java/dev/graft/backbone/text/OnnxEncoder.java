package dev.graft.backbone.text;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxRuntime;
import dev.graft.export.BertOnnx;

/**
 * A frozen BERT encoder on ONNX Runtime: the graph Graft exports ({@link BertOnnx#onnxRuntimeEncoder}),
 * pooling included, built from the encoder's weights at the time it is made.
 */
final class OnnxEncoder implements AutoCloseable {

    private final OrtSession session;

    /**
     * @param bert the encoder, no adapters attached
     * @param precision float32, or int8 weights quantised from the encoder's current ones
     * @param threads intra-op threads
     */
    OnnxEncoder(BertBackbone bert, dev.graft.Precision precision, int threads) {
        this(BertOnnx.onnxRuntimeEncoder(bert, precision), bert.id(), threads);
    }

    /**
     * @param model an encoder graph with Graft's inputs and its {@code embedding} output
     * @param id the backbone's id, for errors
     * @param threads intra-op threads
     */
    OnnxEncoder(byte[] model, String id, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Math.max(1, threads));
            session = OnnxRuntime.session(model, options);
        } catch (OrtException e) {
            throw new GraftException("ONNX Runtime cannot run " + id + " (" + e.getMessage()
                    + "); set " + FrozenEngine.PROPERTY + "=pytorch to use PyTorch", e);
        }
    }

    /** {@return pooled features, one row per text of the batch} */
    float[][] features(TextTokenizer.Batch batch) {
        try {
            return OnnxRuntime.run(session, batch, "embedding");
        } catch (OrtException e) {
            throw new GraftException("ONNX Runtime failed on a batch of " + batch.size() + " texts: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new GraftException("cannot close an ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
