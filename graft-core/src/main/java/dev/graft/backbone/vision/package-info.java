/**
 * Image backbones built from DJL blocks: {@link dev.graft.backbone.vision.MobileNetV2}, with the
 * pretrained weights of npm {@code nsfwjs} ({@link dev.graft.backbone.vision.NsfwjsStore} fetches
 * them, {@link dev.graft.backbone.vision.TfjsModel} reads the TensorFlow.js model), and {@link
 * dev.graft.backbone.vision.SmallCnn}, the small CNN that {@code graft pretrain} trains from
 * scratch. {@link dev.graft.backbone.vision.ImageBackbones} names, loads and saves them.
 */
package dev.graft.backbone.vision;
