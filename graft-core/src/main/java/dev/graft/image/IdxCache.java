package dev.graft.image;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * IDX files kept in memory after their first read, least recently used dropped first once their
 * payloads together pass a byte budget; the file read last always stays, however large.
 */
final class IdxCache {

    private final long budgetBytes;
    private final Function<Path, IdxFile> reader;
    private final Map<Path, IdxFile> files = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * @param budgetBytes most payload bytes kept together
     * @param reader reads a file that is not in memory
     */
    IdxCache(long budgetBytes, Function<Path, IdxFile> reader) {
        this.budgetBytes = budgetBytes;
        this.reader = reader;
    }

    /** {@return the file's contents, read now if it is not in memory} */
    IdxFile get(Path file) {
        synchronized (this) {
            IdxFile kept = files.get(file);
            if (kept != null) {
                return kept;
            }
        }
        IdxFile read = reader.apply(file); // outside the lock: a slow read must not stall readers of other files
        synchronized (this) {
            IdxFile kept = files.get(file);
            if (kept != null) {
                return kept;
            }
            files.put(file, read);
            bytes += read.data().length;
            Iterator<IdxFile> oldestFirst = files.values().iterator();
            while (bytes > budgetBytes && files.size() > 1) {
                bytes -= oldestFirst.next().data().length;
                oldestFirst.remove();
            }
            return read;
        }
    }

    /** {@return how many files are in memory} */
    synchronized int size() {
        return files.size();
    }
}
