/**
 * Image backbones: networks imported from TensorFlow.js layers models ({@link
 * dev.graft.backbone.vision.TfjsModel} reads one, {@link dev.graft.backbone.vision.TfjsImport} builds
 * it) and ONNX files ({@link dev.graft.backbone.vision.OnnxBackbones}), the built-in MobileNetV2 and
 * InceptionV3 of npm {@code nsfwjs} ({@link dev.graft.backbone.vision.TfjsBackbones}; {@link
 * dev.graft.backbone.vision.NsfwjsStore} fetches them), and {@link
 * dev.graft.backbone.vision.SmallCnn}, the small CNN that {@code graft pretrain} trains from
 * scratch. {@link dev.graft.backbone.vision.ImageBackbones} names, loads and saves them.
 */
package dev.graft.backbone.vision;
