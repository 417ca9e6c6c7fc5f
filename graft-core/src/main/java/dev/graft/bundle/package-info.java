/**
 * The saved model format ({@code graft.json} + {@code weights.safetensors}, a directory or a
 * {@code .graft} zip) and {@link dev.graft.bundle.BundleClassifier}, which loads one to predict.
 */
package dev.graft.bundle;
