/**
 * What every pretrained backbone shares: the {@link dev.graft.backbone.Backbone} and {@link
 * dev.graft.backbone.TrainableBackbone} contracts with their {@link dev.graft.backbone.LayerGroup}s
 * and the {@link dev.graft.backbone.InputEncoder} that turns texts or image references into {@link
 * dev.graft.backbone.InputBatch}es; the registry that loads a backbone by id ({@link
 * dev.graft.backbone.Backbones}); the store that fetches pretrained weights on demand ({@link
 * dev.graft.backbone.ModelStore}); the check that a bundle's local backbone weights are those it was
 * trained on; DJL engine settings and arithmetic that is safe in a backward pass. The backbones
 * themselves live in the sub-packages {@code text} (BERT-family encoders), {@code vision}
 * (MobileNetV2 and the small CNN) and {@code onnx} (ONNX weights and ONNX Runtime). Start at {@link
 * dev.graft.backbone.Backbones#load}.
 */
package dev.graft.backbone;
