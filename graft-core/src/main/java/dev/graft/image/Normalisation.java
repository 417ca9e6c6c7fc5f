package dev.graft.image;

/** How 8-bit samples become the floats a backbone expects. */
public enum Normalisation {
    /** {@code v / 255}, in [0, 1] (nsfwjs' MobileNetV2) */
    UNIT,
    /** {@code v / 127.5 - 1}, in [-1, 1] (Keras' MobileNetV2 preprocessing) */
    SIGNED,
    /** {@code (v / 255 - mean) / std} per channel with ImageNet's mean and standard deviation */
    IMAGENET,
    /** {@code v}, in [0, 255] (networks that rescale their input themselves) */
    PIXELS;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /**
     * Normalises one sample.
     *
     * @param v a sample in [0, 255] (may be fractional after resizing)
     * @param channel 0, 1 or 2 (R, G, B)
     * @return the normalised value
     */
    public float apply(float v, int channel) {
        return switch (this) {
            case UNIT -> v / 255f;
            case SIGNED -> v / 127.5f - 1f;
            case IMAGENET -> (v / 255f - MEAN[channel]) / STD[channel];
            case PIXELS -> v;
        };
    }
}
