package dev.graft.image;

import dev.graft.GraftException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image references: a path to a PNG, JPEG, BMP or GIF file (relative paths from the
 * working directory), or {@code IDXFILE#INDEX} for one image of an IDX file (kept in memory after
 * the first read, within {@link #IDX_CACHE_BYTES}).
 */
public final class ImageFiles implements ImageReader {

    /** Largest image file accepted: 64 MiB. */
    static final long MAX_FILE_BYTES = 64L << 20;
    private static final int MAX_SIDE = 8192;
    /** Largest decoded image accepted, checked against the file's header before decoding. */
    static final long MAX_PIXELS = (long) MAX_SIDE * MAX_SIDE;

    /** Most IDX payload bytes kept in memory together: 256 MiB (Fashion-MNIST's 60,000 training images take 47 MB). */
    static final long IDX_CACHE_BYTES = 256L << 20;

    /** The reader shared by every image backbone of this process. */
    public static final ImageFiles SHARED = new ImageFiles();

    private final IdxCache idx = new IdxCache(IDX_CACHE_BYTES, IdxFile::read);

    static {
        ImageIO.setUseCache(false);
    }

    @Override
    public DecodedImage read(String reference) {
        int hash = reference.lastIndexOf('#');
        if (hash > 0 && isIndex(reference.substring(hash + 1))) {
            Path file = Path.of(reference.substring(0, hash)).toAbsolutePath().normalize();
            IdxFile images = idx.get(file);
            if (images.rows() == 1 && images.columns() == 1) {
                throw new GraftException(file + ": is an IDX label file, not images");
            }
            return images.image(Integer.parseInt(reference.substring(hash + 1)));
        }
        return decode(Path.of(reference));
    }

    /**
     * Finds the file an image reference reads.
     *
     * @param reference an image reference
     * @return the file it reads: the IDX file of {@code IDXFILE#INDEX}, else the reference itself
     */
    public static String fileOf(String reference) {
        int hash = reference.lastIndexOf('#');
        return hash > 0 && isIndex(reference.substring(hash + 1)) ? reference.substring(0, hash) : reference;
    }

    private static boolean isIndex(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    /**
     * Decodes an image file.
     *
     * @param file an image file
     * @return its pixels, greyscale if the file is greyscale, else RGB (alpha dropped)
     * @throws GraftException naming the file and the reason if it cannot be decoded
     */
    public static DecodedImage decode(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new GraftException(file + ": image file is empty (0 bytes)");
            }
            if (size > MAX_FILE_BYTES) {
                throw new GraftException(file + ": image file is " + size + " bytes, over the " + MAX_FILE_BYTES
                        + "-byte limit; shrink it");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GraftException(file + ": no such image file");
        } catch (IOException e) {
            throw new GraftException(file + ": cannot read the image: " + e.getMessage());
        }
        return fromBuffered(decodeWithinLimit(bytes, file.toString()), file.toString());
    }

    /** Reads the width and height from the header and refuses an image over the limit before decoding a pixel. */
    private static BufferedImage decodeWithinLimit(byte[] bytes, String source) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new GraftException(source + ": not an image Graft can decode (PNG, JPEG, BMP or GIF)");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkPixels(reader.getWidth(0), reader.getHeight(0), source);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (GraftException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new GraftException(source + ": corrupt image (" + firstLine(e) + ")");
        }
    }

    private static void checkPixels(int w, int h, String source) {
        if ((long) w * h > MAX_PIXELS) {
            throw new GraftException(source + ": image is " + w + "×" + h + " pixels, over the limit of " + MAX_PIXELS
                    + " (" + MAX_SIDE + "×" + MAX_SIDE + "); shrink it");
        }
    }

    static DecodedImage fromBuffered(BufferedImage image, String source) {
        int w = image.getWidth();
        int h = image.getHeight();
        checkPixels(w, h, source);
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] pixels = new byte[w * h];
            image.getRaster().getDataElements(0, 0, w, h, pixels);
            return new DecodedImage(w, h, 1, pixels);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] pixels = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            pixels[3 * i] = (byte) (argb[i] >> 16);
            pixels[3 * i + 1] = (byte) (argb[i] >> 8);
            pixels[3 * i + 2] = (byte) argb[i];
        }
        return new DecodedImage(w, h, 3, pixels);
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
