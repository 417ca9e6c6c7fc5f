package dev.graft.registry;

import dev.graft.GraftException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Reads selected regular files out of a {@code .tgz}, refusing entries whose paths escape. */
public final class Tarballs {

    /** Largest single entry read into memory. */
    static final long MAX_ENTRY_BYTES = 64L << 20;

    /** Receives one selected entry. */
    @FunctionalInterface
    public interface EntryHandler {
        /**
         * @param name the entry's checked relative path, with {@code /} separators
         * @param content the whole entry
         * @throws IOException if the entry cannot be stored
         */
        void accept(String name, byte[] content) throws IOException;
    }

    private Tarballs() {}

    /**
     * Streams a gzip-compressed tar file and hands the regular files whose names {@code wanted}
     * accepts to {@code handler}. Every entry name is checked first, selected or not.
     *
     * @param tgz the gzip-compressed tar file
     * @param wanted selects entries by their checked relative path
     * @param handler receives each selected regular file
     * @return how many entries were handed over
     * @throws GraftException if an entry name is absolute or contains {@code ..}, or an entry is
     *     too large
     * @throws IOException if the file cannot be read or is not a gzip-compressed tar, or the handler fails
     */
    public static int readFiles(Path tgz, Predicate<String> wanted, EntryHandler handler) throws IOException {
        int count = 0;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(tgz));
                InputStream gzip = new GzipCompressorInputStream(file);
                TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = checkedName(entry.getName(), tgz);
                if (!entry.isFile() || !wanted.test(name)) {
                    continue;
                }
                if (entry.getSize() > MAX_ENTRY_BYTES) {
                    throw new GraftException("entry " + name + " in " + tgz + " is " + entry.getSize()
                            + " bytes, more than the " + MAX_ENTRY_BYTES + " allowed; the download is not the expected package: delete it and retry");
                }
                handler.accept(name, tar.readNBytes((int) entry.getSize()));
                count++;
            }
        }
        return count;
    }

    /**
     * Checks that a tar entry name stays inside the directory it would be extracted to.
     *
     * @return the name with {@code \} turned into {@code /} and any leading {@code ./} removed
     * @throws GraftException if the name is empty, absolute, or has a {@code ..} segment
     */
    static String checkedName(String name, Path tgz) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        boolean unsafe = n.isEmpty() || n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0;
        for (String segment : n.split("/")) {
            unsafe |= segment.equals("..");
        }
        if (unsafe) {
            throw new GraftException("unsafe entry path '" + name + "' in " + tgz
                    + " (absolute or with '..'); refusing to extract it: delete the file and fetch again");
        }
        return n;
    }
}
