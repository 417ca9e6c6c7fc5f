package dev.graft.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one hash Graft uses for weights, bundles, datasets and cache keys. */
public final class Hashes {

    private Hashes() {}

    /**
     * Hashes bytes with SHA-256.
     *
     * @param bytes any bytes
     * @return their SHA-256 digest (32 bytes)
     */
    public static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    /**
     * Hashes bytes with SHA-256, as hex.
     *
     * @param bytes any bytes
     * @return their SHA-256 as lower-case hex
     */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /**
     * Hashes a file with SHA-256, as hex.
     *
     * @param file a file, read in a stream
     * @return its SHA-256 as lower-case hex
     * @throws IOException if it cannot be read
     */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest sha = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** {@return a new SHA-256 digest, e.g. to hash a stream while it is copied} */
    public static MessageDigest newSha256() {
        return digest();
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
