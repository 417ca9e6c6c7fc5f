package dev.graft.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes small {@code .tgz} files shaped like npm package tarballs for the tests. */
final class TestTarballs {

    private TestTarballs() {}

    /**
     * @param dir where to create the file
     * @param entries entry name to content, in the order to write them
     * @return the new tarball
     */
    static Path tgz(Path dir, Map<String, byte[]> entries) throws IOException {
        Path tgz = Files.createTempFile(dir, "test", ".tgz");
        try (OutputStream file = Files.newOutputStream(tgz);
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }
}
