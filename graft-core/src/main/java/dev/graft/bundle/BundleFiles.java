package dev.graft.bundle;

import dev.graft.GraftException;
import dev.graft.io.BoundedInputStream;
import dev.graft.io.Hashes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The two files of a bundle directory or {@code .graft} zip, each read as a stream within its size
 * limit: the manifest into memory, the weights into a temporary file, hashed on the way. Nothing
 * is allocated at the size a file or zip entry claims. Close it to delete the temporary file.
 */
final class BundleFiles implements AutoCloseable {

    /** System property that raises or lowers the weights limit, in bytes. */
    static final String MAX_WEIGHTS_PROPERTY = "graft.bundle.maxWeightsBytes";
    static final long DEFAULT_MAX_WEIGHTS_BYTES = 4L << 30;
    static final long MAX_MANIFEST_BYTES = 16L << 20;

    private final Path bundle;
    private byte[] manifest;
    private Path weights;
    private String weightsSha256;

    private BundleFiles(Path bundle) {
        this.bundle = bundle;
    }

    /**
     * @param bundle a bundle directory or {@code .graft} file
     * @return its files; either may be null when the bundle lacks it
     * @throws GraftException if a file is over its limit, or the zip holds other or repeated entries
     */
    static BundleFiles read(Path bundle) throws IOException {
        BundleFiles files = new BundleFiles(bundle);
        try {
            if (Files.isDirectory(bundle)) {
                files.readDirectory();
            } else {
                files.readZip();
            }
            return files;
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** {@return the manifest's bytes, or null when missing} */
    byte[] manifest() {
        return manifest;
    }

    /** {@return a temporary copy of the weights, or null when missing} */
    Path weights() {
        return weights;
    }

    /** {@return the SHA-256 of the weights as read, lower-case hex} */
    String weightsSha256() {
        return weightsSha256;
    }

    static long maxWeightsBytes() {
        return Long.getLong(MAX_WEIGHTS_PROPERTY, DEFAULT_MAX_WEIGHTS_BYTES);
    }

    private void readDirectory() throws IOException {
        for (String name : new String[] {Bundle.MANIFEST, Bundle.WEIGHTS}) {
            Path file = bundle.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            if (Files.size(file) > limit(name)) {
                throw new GraftException(tooLarge(name));
            }
            try (InputStream in = Files.newInputStream(file)) {
                take(name, in);
            }
        }
    }

    private void readZip() throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(bundle)))) {
            boolean any = false;
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                any = true;
                String name = e.getName();
                if (!name.equals(Bundle.MANIFEST) && !name.equals(Bundle.WEIGHTS)) {
                    throw new GraftException(bundle + ": unexpected entry '" + name + "' in the bundle; a .graft file holds only "
                            + Bundle.MANIFEST + " and " + Bundle.WEIGHTS);
                }
                if (name.equals(Bundle.MANIFEST) ? manifest != null : weights != null) {
                    throw new GraftException(bundle + ": the bundle holds " + name + " twice; a .graft file holds each of "
                            + Bundle.MANIFEST + " and " + Bundle.WEIGHTS + " once, fit the model again or restore it from a copy");
                }
                if (e.getSize() > limit(name)) {
                    throw new GraftException(tooLarge(name));
                }
                take(name, zip);
            }
            if (!any) {
                throw new GraftException(bundle + " is not a .graft bundle (not a zip, or empty); pass the file written by graft fit");
            }
        } catch (ZipException | IllegalArgumentException e) {
            // ZipInputStream reports an entry name that is not UTF-8 as an IllegalArgumentException
            throw new GraftException(bundle + " is not a valid .graft bundle (" + e.getMessage() + "); it may be truncated", e);
        }
    }

    /** Reads one file to its end through the limit; leaves {@code in} open. */
    private void take(String name, InputStream in) throws IOException {
        InputStream bounded = new BoundedInputStream(in, limit(name), tooLarge(name));
        if (name.equals(Bundle.MANIFEST)) {
            manifest = bounded.readAllBytes();
            return;
        }
        weights = Files.createTempFile("graft-weights-", ".safetensors");
        MessageDigest sha = Hashes.newSha256();
        Files.copy(new DigestInputStream(bounded, sha), weights, StandardCopyOption.REPLACE_EXISTING);
        weightsSha256 = HexFormat.of().formatHex(sha.digest());
    }

    private static long limit(String name) {
        return name.equals(Bundle.MANIFEST) ? MAX_MANIFEST_BYTES : maxWeightsBytes();
    }

    private String tooLarge(String name) {
        String what = name.equals(Bundle.MANIFEST) ? "a bundle manifest"
                : "bundle weights (system property " + MAX_WEIGHTS_PROPERTY + ")";
        return bundle + ": " + name + " holds more than " + limit(name) + " bytes, the limit for " + what
                + "; the bundle is damaged or not one Graft wrote, fit the model again or restore it from a copy";
    }

    @Override
    public void close() throws IOException {
        if (weights != null) {
            Files.deleteIfExists(weights);
        }
    }
}
