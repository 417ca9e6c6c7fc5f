package dev.graft.image;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.adapt.BatchNormPolicy;

/**
 * What a fit does with image backbones beyond the plan.
 *
 * @param batchNorm BatchNorm policy of every trained group, or null for the default (freeze for a
 *     pretrained backbone, train for one learning from scratch)
 * @param augmentation random changes to training images
 * @param cachedViews feature extraction: augmented views cached per training image besides the original (0 = none)
 */
public record ImageOptions(BatchNormPolicy batchNorm, Augmentation augmentation, int cachedViews) {

    /**
     * Checks the ranges.
     *
     * @param batchNorm BatchNorm policy of every trained group, or null for the default (freeze for a
     *     pretrained backbone, train for one learning from scratch)
     * @param augmentation random changes to training images
     * @param cachedViews feature extraction: augmented views cached per training image besides the original (0 = none)
     */
    public ImageOptions {
        if (augmentation == null) {
            augmentation = Augmentation.none();
        }
        if (cachedViews < 0 || cachedViews > 32) {
            throw new GraftException(Parameter.CACHED_VIEWS, cachedViews, "is out of range; use 0 to 32");
        }
        if (cachedViews > 0 && !augmentation.enabled()) {
            throw new GraftException(Parameter.CACHED_VIEWS, cachedViews,
                    "needs augmentation; turn augmentation on (e.g. crop,flip)");
        }
    }

    /** {@return the defaults: BatchNorm by backbone, no augmentation, no extra views} */
    public static ImageOptions defaults() {
        return new ImageOptions(null, Augmentation.none(), 0);
    }
}
