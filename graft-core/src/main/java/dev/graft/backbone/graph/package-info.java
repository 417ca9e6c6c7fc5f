/**
 * Convolutional networks as a graph of operations run on DJL: the one trainable form every
 * imported network takes (TensorFlow.js layers models, ONNX graphs), with layer groups derived
 * from the graph so that every strategy, BatchNorm policy and LoRA works on it.
 */
package dev.graft.backbone.graph;
