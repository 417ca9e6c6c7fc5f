package dev.graft.backbone.text;

import java.util.Map;

/**
 * What an exporter reads from a BERT encoder: its sizes, pooling and weights by Hugging Face name.
 * {@code export.BertOnnx} writes ONNX graphs from it, so the encoder can run its own export on ONNX
 * Runtime without the two depending on each other.
 */
public interface BertModel {

    /** @return the backbone's id, as {@code graft fit --backbone} names it */
    String id();

    /** @return the encoder's sizes */
    BertConfig config();

    /** @return how hidden states are pooled into one vector */
    Pooling pooling();

    /** @return every parameter's current values by Hugging Face name, linear weights [out, in] */
    Map<String, float[]> weights();

    /** @return every parameter's shape by Hugging Face name */
    Map<String, long[]> shapes();

    /** @return the attached adapters' parameters by name, empty when none are attached */
    Map<String, ai.djl.nn.Parameter> adapterParameters();
}
