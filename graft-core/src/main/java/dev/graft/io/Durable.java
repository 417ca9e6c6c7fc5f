package dev.graft.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Forces written bytes and renames to the disk, so that a power cut after a write or a rename
 * cannot leave an empty file or an undone rename behind a name Graft reported as written.
 */
public final class Durable {

    private Durable() {}

    /**
     * Forces a file's content to the disk.
     *
     * @param file a regular file, opened for writing to sync it
     * @throws IOException if the file cannot be opened or synced
     */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Forces a directory's entries (the renames into and out of it) to the disk. File systems that
     * cannot open a directory for this (not Linux ones) are left to their own ordering.
     * @param dir the directory whose entries are synced
     * @throws IOException if the directory cannot be synced on a file system that supports it
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!Files.isDirectory(dir)) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
    }

    /**
     * Forces every file under a directory, then the directories themselves.
     *
     * @param root the directory to sync, with everything under it
     * @throws IOException if a file or directory cannot be synced
     */
    public static void syncTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                syncFile(p);
            }
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                syncDirectory(p);
            }
        }
    }
}
