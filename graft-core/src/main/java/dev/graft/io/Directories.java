package dev.graft.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers. */
public final class Directories {

    private Directories() {}

    /**
     * Deletes a file or a directory tree; nothing happens when it does not exist.
     *
     * @param path what to delete
     * @throws IOException if something cannot be deleted
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Gives a directory made by {@link Files#createTempDirectory} (owner-only) the usual
     * rwxr-xr-x, where the file system has POSIX permissions.
     *
     * @param dir the directory
     * @throws IOException if the permissions cannot be set
     */
    public static void makeReadable(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }
}
