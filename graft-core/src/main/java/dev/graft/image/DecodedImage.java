package dev.graft.image;

/**
 * An image as decoded from its file: 8-bit samples, rows top to bottom, channels interleaved.
 *
 * @param width in pixels
 * @param height in pixels
 * @param channels 1 (grey) or 3 (RGB)
 * @param pixels {@code height × width × channels} samples, unsigned
 */
public record DecodedImage(int width, int height, int channels, byte[] pixels) {

    /**
     * Checks the sizes agree.
     *
     * @param width in pixels
     * @param height in pixels
     * @param channels 1 (grey) or 3 (RGB)
     * @param pixels {@code height × width × channels} samples, unsigned
     */
    public DecodedImage {
        if (width < 1 || height < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("bad image shape " + width + "×" + height + "×" + channels);
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("pixel buffer has " + pixels.length + " samples, expected "
                    + (long) width * height * channels);
        }
    }

    /**
     * {@return sample {@code c} of pixel (x, y) in [0, 255]; grey images answer every channel with the grey value}
     *
     * @param x column, 0 to {@code width - 1}
     * @param y row, 0 to {@code height - 1}
     * @param c channel, 0 to 2 (0 for grey images)
     */
    public int sample(int x, int y, int c) {
        int channel = channels == 1 ? 0 : c;
        return pixels[(y * width + x) * channels + channel] & 0xff;
    }
}
