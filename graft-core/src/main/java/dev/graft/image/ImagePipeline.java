package dev.graft.image;

/**
 * The deterministic preprocessing of an image backbone: greyscale becomes RGB, the image is
 * resized bilinearly (corners aligned, as TensorFlow's {@code resizeBilinear(..., true)}) to
 * {@code size × size}, and samples are normalised.
 *
 * @param size output height and width in pixels
 * @param normalisation how samples become floats
 */
public record ImagePipeline(int size, Normalisation normalisation) {

    /**
     * Checks the size.
     *
     * @param size output height and width in pixels
     * @param normalisation how samples become floats
     */
    public ImagePipeline {
        if (size < 2 || size > 1024) {
            throw new IllegalArgumentException("image size " + size + " is out of range 2 to 1024");
        }
    }

    /** {@return a stable description for cache keys, e.g. {@code image:96:UNIT:bilinear-aligned}} */
    public String key() {
        return "image:" + size + ":" + normalisation + ":bilinear-aligned";
    }

    /**
     * Resizes and normalises one image into a float buffer.
     *
     * @param image a decoded image
     * @param out receives 3 × size × size floats, channel-major (C, H, W), from {@code offset}
     * @param offset where the image starts in {@code out}
     */
    public void toTensor(DecodedImage image, float[] out, int offset) {
        int plane = size * size;
        float sx = size > 1 ? (float) (image.width() - 1) / (size - 1) : 0;
        float sy = size > 1 ? (float) (image.height() - 1) / (size - 1) : 0;
        for (int y = 0; y < size; y++) {
            float fy = y * sy;
            int y0 = (int) Math.floor(fy);
            int y1 = Math.min(y0 + 1, image.height() - 1);
            float dy = fy - y0;
            for (int x = 0; x < size; x++) {
                float fx = x * sx;
                int x0 = (int) Math.floor(fx);
                int x1 = Math.min(x0 + 1, image.width() - 1);
                float dx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    float top = image.sample(x0, y0, c) + (image.sample(x1, y0, c) - image.sample(x0, y0, c)) * dx;
                    float bottom = image.sample(x0, y1, c) + (image.sample(x1, y1, c) - image.sample(x0, y1, c)) * dx;
                    out[offset + c * plane + y * size + x] = normalisation.apply(top + (bottom - top) * dy, c);
                }
            }
        }
    }
}
