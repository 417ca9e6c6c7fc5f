/**
 * ONNX plumbing shared by backbones, bundles and exports: {@link
 * dev.graft.backbone.onnx.OnnxInitializers} reads the float weights of an ONNX file without ONNX
 * Runtime, and {@link dev.graft.backbone.onnx.OnnxRuntime} creates ONNX Runtime sessions (on a
 * thread with a stack large enough for it) and runs them on tokenized texts.
 */
package dev.graft.backbone.onnx;
