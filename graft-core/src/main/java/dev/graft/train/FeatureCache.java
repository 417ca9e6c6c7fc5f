package dev.graft.train;

import dev.graft.GraftException;
import dev.graft.backbone.Backbone;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Frozen-backbone features on disk, keyed by content: one append-only file per (backbone, weights,
 * preprocessing), one fixed-size record per distinct text: SHA-256 of the text, the feature
 * vector (float32, little-endian) and a CRC-32 of both.
 *
 * <p>Records are appended and flushed batch by batch, so an interrupted extraction keeps what it
 * finished and the next run resumes from there. A torn or corrupt tail is cut off on open.
 */
public final class FeatureCache implements AutoCloseable {

    private static final int KEY_BYTES = 32;

    private final Path file;
    private final int dimension;
    private final int recordBytes;
    private final Map<Key, float[]> features = new HashMap<>();
    private final FileChannel channel;

    private record Key(long a, long b, long c, long d) {
        static Key of(byte[] h) {
            ByteBuffer buf = ByteBuffer.wrap(h);
            return new Key(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
        }
    }

    private FeatureCache(Path file, int dimension) throws IOException {
        this.file = file;
        this.dimension = dimension;
        this.recordBytes = KEY_BYTES + 4 * dimension + 4;
        this.channel = file == null ? null
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel != null) {
            load();
        }
    }

    /**
     * Makes a cache that writes nothing to disk.
     *
     * @param backbone decides the feature length
     * @return a cache that lives only in memory (nothing is written)
     */
    public static FeatureCache inMemory(Backbone backbone) {
        try {
            return new FeatureCache(null, backbone.featureSize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens (or creates) the cache of one backbone configuration.
     *
     * @param root the cache directory, e.g. {@code ~/.cache/graft/features}
     * @param backbone decides the key: id, weights hash and preprocessing
     * @return the open cache; close it when done
     */
    public static FeatureCache open(Path root, Backbone backbone) {
        String identity = backbone.id() + "\n" + backbone.weightsSha256() + "\n" + backbone.preprocessingKey();
        String name = backbone.id() + "-" + Hashes.sha256Hex(identity.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
            Path about = dir.resolve("about.txt");
            if (!Files.exists(about)) {
                AtomicFiles.write(about, (identity + "\ndimension=" + backbone.featureSize() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return new FeatureCache(dir.resolve("features.bin"), backbone.featureSize());
        } catch (IOException e) {
            throw new GraftException("cannot use the feature cache in " + dir + ": " + e.getMessage()
                    + "; check permissions and free space, or set GRAFT_CACHE to another directory", e);
        }
    }

    /** {@return the file holding the records, or null for an in-memory cache} */
    public Path file() {
        return file;
    }

    /** {@return number of cached feature vectors} */
    public int size() {
        return features.size();
    }

    /**
     * Looks up the cached features of a text.
     *
     * @param text an input
     * @return its cached features, or {@code null}
     */
    public float[] get(String text) {
        return features.get(keyOf(text));
    }

    /**
     * Appends features and makes them durable before returning.
     *
     * @param texts inputs
     * @param vectors their features, in the same order
     */
    public void putAll(List<String> texts, float[][] vectors) {
        ByteBuffer buf = ByteBuffer.allocate(recordBytes * texts.size()).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vectors[i];
            if (v.length != dimension) {
                throw new IllegalArgumentException("feature length " + v.length + " != " + dimension);
            }
            byte[] key = Hashes.sha256(texts.get(i).getBytes(StandardCharsets.UTF_8));
            int start = buf.position();
            buf.put(key);
            for (float f : v) {
                buf.putFloat(f);
            }
            crc.reset();
            crc.update(buf.array(), start, buf.position() - start);
            buf.putInt((int) crc.getValue());
            features.put(Key.of(key), v.clone());
        }
        if (channel == null) {
            return;
        }
        buf.flip();
        try (FileLock lock = channel.lock()) {
            long end = channel.size();
            end -= end % recordBytes;
            while (buf.hasRemaining()) {
                end += channel.write(buf, end);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new GraftException("cannot write the feature cache " + file + ": " + e.getMessage()
                    + "; free some disk space or set GRAFT_CACHE to another directory", e);
        }
    }

    private void load() throws IOException {
        long size = channel.size();
        ByteBuffer record = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        long good = 0;
        for (long pos = 0; pos + recordBytes <= size; pos += recordBytes) {
            record.clear();
            while (record.hasRemaining() && channel.read(record, pos + record.position()) > 0) {
                // read the whole record
            }
            crc.reset();
            crc.update(record.array(), 0, recordBytes - 4);
            record.position(recordBytes - 4);
            if ((int) crc.getValue() != record.getInt()) {
                break;
            }
            record.position(0);
            byte[] key = new byte[KEY_BYTES];
            record.get(key);
            float[] v = new float[dimension];
            record.asFloatBuffer().get(v);
            features.put(Key.of(key), v);
            good = pos + recordBytes;
        }
        if (good < size) {
            try (FileLock lock = channel.lock()) {
                channel.truncate(good);
            }
        }
    }

    private static Key keyOf(String text) {
        return Key.of(Hashes.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
