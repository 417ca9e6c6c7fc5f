package dev.graft.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One JSON line per epoch, flushed as it happens. A resumed run appends again from the
 * checkpointed epoch, so when an epoch appears twice the later line is the one that counts.
 */
public final class EpochLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Writer out;
    private final Path file;

    /**
     * Opens an epoch log, one JSON line per epoch.
     *
     * @param file the log; created, or appended to
     */
    public EpochLog(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new GraftException("cannot write the epoch log " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@return the log file} */
    public Path file() {
        return file;
    }

    /**
     * Appends one epoch as a JSON line.
     *
     * @param record the epoch to log
     */
    public void write(EpochRecord record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new GraftException("cannot write the epoch log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an epoch log back.
     *
     * @param file a log written by this class
     * @return its records, in order
     */
    public static List<EpochRecord> read(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
                try {
                    return JSON.readValue(l, EpochRecord.class);
                } catch (IOException e) {
                    throw new GraftException(file + ": not an epoch log line: " + l, e);
                }
            }).toList();
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new GraftException("cannot close the epoch log " + file + ": " + e.getMessage(), e);
        }
    }
}
