package dev.graft.backbone.vision;

import dev.graft.backbone.TrainableBackbone;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageEncoder;

/** A backbone that reads image references. */
public interface ImageBackbone extends TrainableBackbone {

    @Override
    ImageEncoder encoder();

    /** @param augmentation what training batches draw from now on (evaluation is never augmented) */
    void augment(Augmentation augmentation);

    /** {@return false when the weights are a random initialisation (the network learns from scratch)} */
    default boolean pretrained() {
        return true;
    }
}
