/**
 * Graft's Java API as a user calls it: feature extraction from a list in memory, LoRA, two-stage
 * fine-tuning with a listener, an image classifier from a folder, loading a model and predicting,
 * and an ONNX export run by ONNX Runtime alone. Each runs in the test suite on tiny data.
 */
package dev.graft.examples;
