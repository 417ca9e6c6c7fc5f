/**
 * Text backbones: BERT-family encoders built from DJL blocks ({@link
 * dev.graft.backbone.text.BertBackbone}), loaded from the embedded all-MiniLM-L6-v2 ({@link
 * dev.graft.backbone.text.MiniLm}) or a Hugging Face directory ({@link
 * dev.graft.backbone.text.HfDirectory}, which also writes one); their tokenizer and pooling; the
 * LoRA and prefix adapters of their blocks; and the engine that computes their features while
 * they are frozen ({@link dev.graft.backbone.text.FrozenEngine}: PyTorch, or the same graph on ONNX
 * Runtime).
 */
package dev.graft.backbone.text;
