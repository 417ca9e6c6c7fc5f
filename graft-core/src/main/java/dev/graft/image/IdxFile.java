package dev.graft.image;

import dev.graft.GraftException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST format), plain or gzipped: unsigned bytes with 1 dimension (labels) or
 * 3 dimensions (greyscale images, count × rows × columns).
 *
 * @param count number of items
 * @param rows image height (1 for labels)
 * @param columns image width (1 for labels)
 * @param data {@code count × rows × columns} unsigned bytes
 */
public record IdxFile(int count, int rows, int columns, byte[] data) {

    /** Largest accepted payload: 1 GiB. */
    static final long MAX_BYTES = 1L << 30;

    /**
     * Reads an IDX file (the MNIST format).
     *
     * @param file an IDX file, optionally gzipped
     * @return its contents
     * @throws GraftException if it is missing, not IDX, not unsigned bytes, or shorter than its header says
     */
    public static IdxFile read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw.markSupported() ? raw : new java.io.BufferedInputStream(raw);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return parse(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new GraftException(file + ": no such IDX file; check the path or fetch the dataset again");
        } catch (IOException e) {
            throw new GraftException(file + ": cannot read the IDX file: " + e.getMessage()
                    + "; fetch the dataset again or check the file", e);
        }
    }

    static IdxFile parse(InputStream in, String source) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
            throw new GraftException(source + ": not an IDX file (its first bytes are not 00 00 08 0N)");
        }
        if (magic[2] != 0x08) {
            throw new GraftException(source + ": IDX data type 0x" + Integer.toHexString(magic[2] & 0xff)
                    + " is not supported; only unsigned bytes (0x08) are");
        }
        int dims = magic[3];
        if (dims != 1 && dims != 3) {
            throw new GraftException(source + ": IDX file has " + dims + " dimensions; expected 1 (labels) or 3 (images)");
        }
        int[] sizes = new int[dims];
        long total = 1;
        for (int d = 0; d < dims; d++) {
            byte[] s = in.readNBytes(4);
            if (s.length < 4) {
                throw new GraftException(source + ": IDX header is truncated");
            }
            sizes[d] = ((s[0] & 0xff) << 24) | ((s[1] & 0xff) << 16) | ((s[2] & 0xff) << 8) | (s[3] & 0xff);
            if (sizes[d] <= 0) {
                throw new GraftException(source + ": IDX dimension " + d + " is " + sizes[d]);
            }
            total *= sizes[d];
            if (total > MAX_BYTES) {
                throw new GraftException(source + ": IDX payload would be over " + MAX_BYTES + " bytes");
            }
        }
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
            throw new GraftException(source + ": IDX file is truncated: " + data.length + " of " + total
                    + " bytes; fetch the dataset again");
        }
        return dims == 1 ? new IdxFile(sizes[0], 1, 1, data) : new IdxFile(sizes[0], sizes[1], sizes[2], data);
    }

    /**
     * Returns one item as an image.
     *
     * @param index item number, from 0
     * @return that image, greyscale
     */
    public DecodedImage image(int index) {
        if (index < 0 || index >= count) {
            throw new GraftException("image index " + index + " is outside 0.." + (count - 1));
        }
        int size = rows * columns;
        byte[] pixels = java.util.Arrays.copyOfRange(data, index * size, (index + 1) * size);
        return new DecodedImage(columns, rows, 1, pixels);
    }
}
