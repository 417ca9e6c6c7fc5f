package dev.graft.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * Walks a partition a window of rows at a time, so a backbone sees batches it can sort by length,
 * while the partition is never held in memory whole.
 */
final class WindowedRows implements Iterator<Row> {

    private final Iterator<Row> input;
    private final int window;
    private final Function<List<Row>, List<Row>> transform;
    private Iterator<Row> current = Collections.emptyIterator();

    /**
     * @param input the partition
     * @param window rows per call of {@code transform}
     * @param transform maps a window of rows to as many output rows, in order
     */
    WindowedRows(Iterator<Row> input, int window, Function<List<Row>, List<Row>> transform) {
        this.input = input;
        this.window = window;
        this.transform = transform;
    }

    @Override
    public boolean hasNext() {
        if (current.hasNext()) {
            return true;
        }
        if (!input.hasNext()) {
            return false;
        }
        List<Row> rows = new ArrayList<>(window);
        while (input.hasNext() && rows.size() < window) {
            rows.add(input.next());
        }
        current = transform.apply(rows).iterator();
        return current.hasNext();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
