package dev.graft.io;

import dev.graft.GraftException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through while counting them, and refuses with a {@link GraftException} as soon as
 * more than {@code limit} have been read: a stream from a stranger (a zip entry that inflates
 * without end, a file that grows while read) costs at most {@code limit} bytes, and is never cut
 * short in silence. Closing it leaves the underlying stream open.
 */
public final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private final long limit;
    private final String refusal;
    private long count;

    /**
     * Wraps a stream, refusing to read past a limit.
     *
     * @param in the stream to read
     * @param limit most bytes accepted
     * @param refusal the one-line message of the exception thrown when {@code in} holds more
     */
    public BoundedInputStream(InputStream in, long limit, String refusal) {
        this.in = in;
        this.limit = limit;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        // ask for at most one byte past the limit, so the stream never reads far beyond it
        int n = in.read(buffer, offset, (int) Math.min(length, limit - count + 1));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private void counted(int n) {
        count += n;
        if (count > limit) {
            throw new GraftException(refusal);
        }
    }
}
