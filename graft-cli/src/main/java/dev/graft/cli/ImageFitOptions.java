package dev.graft.cli;

import dev.graft.adapt.BatchNormPolicy;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageOptions;
import picocli.CommandLine.Option;

/** Options of image backbones: BatchNorm policy, augmentation, cached augmented views. */
final class ImageFitOptions {

    @Option(names = "--batchnorm", description = "Image backbones: what BatchNorm layers of trained groups do: freeze (statistics and scale/shift fixed; default for pretrained backbones), train-affine (statistics fixed, scale/shift train), train (batch statistics; default from scratch) or recalibrate (re-estimate statistics on the training data first, AdaBN).")
    String batchNorm;

    @Option(names = "--augment", defaultValue = "none", description = "Image backbones: random changes to training images: none, default (crop, rotate, jitter), or a list of crop[=S], flip, rotate[=DEGREES], jitter[=J]. Default: ${DEFAULT-VALUE}.")
    String augment;

    @Option(names = "--cached-views", defaultValue = "0", description = "Feature extraction on images: also cache K augmented views of every training image (needs --augment). Default: ${DEFAULT-VALUE}.")
    int cachedViews;

    ImageOptions toImageOptions() {
        return new ImageOptions(batchNorm == null ? null : BatchNormPolicy.parse(batchNorm), Augmentation.parse(augment),
                cachedViews);
    }
}
