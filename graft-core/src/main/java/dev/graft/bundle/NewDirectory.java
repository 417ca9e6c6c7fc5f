package dev.graft.bundle;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.io.AtomicFiles;
import dev.graft.io.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fills a new (or empty) directory all at once: written in a sibling staging directory, then renamed. */
final class NewDirectory {

    /** Writes the files of a directory. */
    interface Filler {
        void fill(Path staging) throws IOException;
    }

    private NewDirectory() {}

    static void write(Path dir, Filler filler) {
        Path target = dir.toAbsolutePath();
        try {
            if (Files.isDirectory(target)) {
                try (var entries = Files.list(target)) {
                    if (entries.findAny().isPresent()) {
                        throw new GraftException(Parameter.OUT, dir, "is not empty; export into a new or empty directory");
                    }
                }
            } else if (Files.exists(target)) {
                throw new GraftException(Parameter.OUT, dir, "is a file; export into a new or empty directory");
            }
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            Directories.makeReadable(staging);
            try {
                filler.fill(staging);
                Files.deleteIfExists(target);
                AtomicFiles.move(staging, target);
            } finally {
                Directories.deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new GraftException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }
}
