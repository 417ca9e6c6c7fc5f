/**
 * ONNX export of BERT-family models. {@link dev.graft.export.BertOnnx} writes a bundle's whole
 * classifier (encoder with its current weights, pooling, feature scaler and head) as one opset-17
 * graph for {@code graft export}, or the encoder alone: a standard graph, and one with ONNX
 * Runtime's fused attention that Graft's frozen engine runs. The graphs are encoded with Graft's own
 * protobuf writer; no ONNX library is needed.
 */
package dev.graft.export;
