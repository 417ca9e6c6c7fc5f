package dev.graft.image;

import dev.graft.Parameter;
import java.util.Random;

/**
 * Random changes applied to training images only: a random resized crop, a horizontal flip, a
 * small rotation and colour jitter. Each is off at its neutral value.
 *
 * @param cropScale smallest fraction of the image area a crop keeps (1 = no crop)
 * @param flip whether to flip left-right half of the time (wrong for digits and text)
 * @param rotationDegrees largest rotation either way (0 = none)
 * @param jitter largest relative change of brightness and contrast (0 = none)
 */
public record Augmentation(double cropScale, boolean flip, double rotationDegrees, double jitter) {

    /**
     * Checks the ranges.
     *
     * @param cropScale smallest fraction of the image area a crop keeps (1 = no crop)
     * @param flip whether to flip left-right half of the time (wrong for digits and text)
     * @param rotationDegrees largest rotation either way (0 = none)
     * @param jitter largest relative change of brightness and contrast (0 = none)
     */
    public Augmentation {
        if (!(cropScale > 0 && cropScale <= 1)) {
            throw new IllegalArgumentException("crop scale " + cropScale + " is out of range (0, 1]");
        }
        if (!(rotationDegrees >= 0 && rotationDegrees <= 180)) {
            throw new IllegalArgumentException("rotation " + rotationDegrees + " is out of range 0 to 180 degrees");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter " + jitter + " is out of range [0, 1)");
        }
    }

    /** {@return no augmentation} */
    public static Augmentation none() {
        return new Augmentation(1, false, 0, 0);
    }

    /** {@return whether any change is on} */
    public boolean enabled() {
        return cropScale < 1 || flip || rotationDegrees > 0 || jitter > 0;
    }

    /**
     * Makes a random view of an image.
     *
     * @param image the original
     * @param random the batch's generator
     * @return a randomly changed view of the same size and channels
     */
    public DecodedImage apply(DecodedImage image, Random random) {
        if (!enabled()) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        double area = cropScale + random.nextDouble() * (1 - cropScale);
        double aspect = Math.exp(Math.log(3.0 / 4) + random.nextDouble() * Math.log(16.0 / 9));
        double cw = cropScale < 1 ? Math.min(1, Math.sqrt(area * aspect)) : 1;
        double ch = cropScale < 1 ? Math.min(1, Math.sqrt(area / aspect)) : 1;
        double left = random.nextDouble() * (1 - cw);
        double top = random.nextDouble() * (1 - ch);
        boolean mirror = flip && random.nextBoolean();
        double angle = Math.toRadians((random.nextDouble() * 2 - 1) * rotationDegrees);
        double brightness = 1 + (random.nextDouble() * 2 - 1) * jitter;
        double contrast = 1 + (random.nextDouble() * 2 - 1) * jitter;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        int channels = image.channels();
        byte[] out = new byte[image.pixels().length];
        double mean = 0;
        for (byte b : image.pixels()) {
            mean += b & 0xff;
        }
        mean /= image.pixels().length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // output pixel → unit square → rotate about the centre → crop window → source pixel
                double u = (x + 0.5) / w - 0.5;
                double v = (y + 0.5) / h - 0.5;
                double ru = cos * u - sin * v;
                double rv = sin * u + cos * v;
                if (mirror) {
                    ru = -ru;
                }
                double sx = (left + (ru + 0.5) * cw) * w - 0.5;
                double sy = (top + (rv + 0.5) * ch) * h - 0.5;
                for (int c = 0; c < channels; c++) {
                    double value = bilinear(image, sx, sy, c);
                    value = ((value - mean) * contrast + mean) * brightness;
                    out[(y * w + x) * channels + c] = (byte) Math.max(0, Math.min(255, Math.round(value)));
                }
            }
        }
        return new DecodedImage(w, h, channels, out);
    }

    /** Samples between pixels; outside the image the nearest edge pixel. */
    private static double bilinear(DecodedImage image, double x, double y, int c) {
        double cx = Math.max(0, Math.min(image.width() - 1, x));
        double cy = Math.max(0, Math.min(image.height() - 1, y));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(x0 + 1, image.width() - 1);
        int y1 = Math.min(y0 + 1, image.height() - 1);
        double dx = cx - x0;
        double dy = cy - y0;
        double top = image.sample(x0, y0, c) * (1 - dx) + image.sample(x1, y0, c) * dx;
        double bottom = image.sample(x0, y1, c) * (1 - dx) + image.sample(x1, y1, c) * dx;
        return top * (1 - dy) + bottom * dy;
    }

    /** {@return a stable description, part of cached views' keys} */
    public String key() {
        return "crop=" + cropScale + ",flip=" + flip + ",rotate=" + rotationDegrees + ",jitter=" + jitter;
    }

    /**
     * Reads an augmentation from its command-line spec.
     *
     * @param spec comma-separated: {@code none}, {@code crop} (scale 0.6) or {@code crop=S},
     *     {@code flip}, {@code rotate} (10°) or {@code rotate=D}, {@code jitter} (0.2) or {@code jitter=J};
     *     {@code default} is crop, rotate and jitter without flip
     * @return the augmentation
     */
    public static Augmentation parse(String spec) {
        double crop = 1;
        boolean mirror = false;
        double rotate = 0;
        double jit = 0;
        for (String raw : spec.split(",")) {
            String part = raw.strip().toLowerCase(java.util.Locale.ROOT);
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            Double value = null;
            if (eq >= 0) {
                try {
                    value = Double.parseDouble(part.substring(eq + 1));
                } catch (NumberFormatException e) {
                    throw new dev.graft.GraftException(Parameter.AUGMENTATION, spec, "is not valid: '" + part
                            + "' needs a number after '='");
                }
            }
            switch (name) {
                case "none", "" -> { }
                case "default" -> {
                    crop = 0.6;
                    rotate = 10;
                    jit = 0.2;
                }
                case "crop" -> crop = value == null ? 0.6 : value;
                case "flip" -> mirror = true;
                case "rotate" -> rotate = value == null ? 10 : value;
                case "jitter" -> jit = value == null ? 0.2 : value;
                default -> throw new dev.graft.GraftException(Parameter.AUGMENTATION, spec, "is not valid: unknown part '" + name
                        + "'; use none, default, crop[=S], flip, rotate[=DEGREES], jitter[=J]");
            }
        }
        try {
            return new Augmentation(crop, mirror, rotate, jit);
        } catch (IllegalArgumentException e) {
            throw new dev.graft.GraftException(Parameter.AUGMENTATION, spec, "is not valid: " + e.getMessage());
        }
    }
}
