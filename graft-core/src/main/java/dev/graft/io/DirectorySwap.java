package dev.graft.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces a directory by a complete new one. The old directory steps aside under a fixed name
 * ({@code .NAME.old}) before the new one moves in, so that a kill at any moment leaves either the
 * old or the new directory, and {@link #recover} finds the old one again.
 */
public final class DirectorySwap {

    private DirectorySwap() {}

    /**
     * {@return where the old directory waits while its replacement moves in}
     *
     * @param target the directory being replaced
     */
    public static Path aside(Path target) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".old");
    }

    /**
     * Puts {@code staging} at {@code target}, replacing a directory there.
     *
     * @param staging a complete directory on the same file system as {@code target}
     * @param target where it belongs
     * @throws IOException if a rename fails; {@code target} then holds the old or the new directory
     */
    public static void replace(Path staging, Path target) throws IOException {
        Durable.syncTree(staging);
        recover(target);
        Path old = aside(target);
        if (Files.exists(target)) {
            AtomicFiles.move(target, old);
        }
        AtomicFiles.move(staging, target);
        Directories.deleteRecursively(old);
    }

    /**
     * Finishes a {@link #replace} that a kill interrupted: puts the old directory back when the new
     * one never arrived, and removes it when the new one did.
     *
     * @param target the directory that was being replaced
     * @return true when the old directory was put back
     * @throws IOException if the old directory cannot be moved back or deleted
     */
    public static boolean recover(Path target) throws IOException {
        Path old = aside(target);
        if (!Files.exists(old)) {
            return false;
        }
        if (Files.exists(target)) {
            Directories.deleteRecursively(old);
            return false;
        }
        AtomicFiles.move(old, target);
        return true;
    }
}
