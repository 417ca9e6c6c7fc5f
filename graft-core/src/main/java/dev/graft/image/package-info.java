/**
 * Images for image backbones. An example's text is an image reference (a file path, or {@code
 * IDXFILE#INDEX} for one image of an MNIST-format file); {@link dev.graft.image.ImageReader} and
 * {@link dev.graft.image.ImageFiles} resolve it to a {@link dev.graft.image.DecodedImage}, and
 * {@link dev.graft.image.ImageEncoder} turns a batch of references into pixels through the
 * deterministic {@link dev.graft.image.ImagePipeline} (resize, {@link
 * dev.graft.image.Normalisation}) and, in training, random {@link dev.graft.image.Augmentation}.
 * {@link dev.graft.image.ImageFolders} loads a class-per-folder dataset, {@link
 * dev.graft.image.ImageCheck} skips unreadable images before training, and {@link
 * dev.graft.image.ImageOptions} holds what a fit does with images beyond the plan.
 */
package dev.graft.image;
