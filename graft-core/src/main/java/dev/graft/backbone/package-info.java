/**
 * Pretrained backbones: weight readers, encoders built from DJL blocks, tokenizers and layer
 * groups. Start at {@link dev.graft.backbone.Backbones#load}.
 */
package dev.graft.backbone;
