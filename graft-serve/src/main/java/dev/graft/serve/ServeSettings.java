package dev.graft.serve;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * How the server listens, batches and limits requests.
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one
 * @param maxBatch most texts scored in one forward pass; 1 turns micro-batching off
 * @param maxWaitMicros how long a batch that is not full waits for more requests, in microseconds
 * @param queueCapacity requests waiting to be scored before new ones get 503
 * @param maxBodyBytes largest request body accepted
 * @param maxInputs most texts in one request
 * @param maxChars longest text accepted, in characters
 * @param truncateLong cut longer texts to {@code maxChars} instead of refusing the request
 * @param requestTimeoutMillis a request still waiting after this long gets 503
 * @param drainMillis on shutdown, how long in-flight requests may take to finish
 * @param imageRoot the directory an image model may read images from
 */
public record ServeSettings(String host, int port, int maxBatch, long maxWaitMicros, int queueCapacity, long maxBodyBytes,
        int maxInputs, int maxChars, boolean truncateLong, long requestTimeoutMillis, long drainMillis, ImageRoot imageRoot) {

    /**
     * {@return loopback, port 8080, batches of up to 32 texts gathered for at most 2 ms, 1 MB bodies, 64 texts of 20,000
     *     characters, no image root}
     */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", 8080, 32, 2_000, 256, 1 << 20, 64, 20_000, true, 30_000, 10_000,
                ImageRoot.none("its operator sets one when starting the server"));
    }

    /**
     * Checks every value; throws {@link dev.graft.GraftException} naming the first bad one.
     *
     * @param host address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port TCP port, 0 to 65535; 0 picks a free one
     * @param maxBatch most texts scored in one forward pass, at least 1; 1 turns micro-batching off
     * @param maxWaitMicros how long a batch that is not full waits for more requests, in microseconds; not negative
     * @param queueCapacity requests waiting to be scored before new ones get 503, at least 1
     * @param maxBodyBytes largest request body accepted, in bytes; at least 64
     * @param maxInputs most texts in one request, at least 1
     * @param maxChars longest text accepted, in characters; at least 1
     * @param truncateLong cut longer texts to {@code maxChars} instead of refusing the request
     * @param requestTimeoutMillis a request still waiting after this many milliseconds gets 503; positive
     * @param drainMillis on shutdown, how many milliseconds in-flight requests may take to finish
     * @param imageRoot the directory an image model may read images from; not null, {@link ImageRoot#none} for none
     * @throws dev.graft.GraftException if a value is out of range
     */
    public ServeSettings {
        require(port >= 0 && port <= 65_535, Parameter.PORT, port, "must be between 0 and 65535");
        require(maxBatch >= 1, Parameter.MAX_BATCH, maxBatch, "must be at least 1 (1 turns micro-batching off)");
        require(maxWaitMicros >= 0, Parameter.MAX_WAIT, null, "must not be negative");
        require(queueCapacity >= 1, Parameter.QUEUE_CAPACITY, queueCapacity, "must be at least 1");
        require(maxBodyBytes >= 64, Parameter.MAX_BODY, maxBodyBytes, "is too small to hold a request");
        require(maxInputs >= 1, Parameter.MAX_INPUTS, maxInputs, "must be at least 1");
        require(maxChars >= 1, Parameter.MAX_CHARS, maxChars, "must be at least 1");
        require(requestTimeoutMillis >= 1, Parameter.REQUEST_TIMEOUT, null, "must be positive");
        require(imageRoot != null, "the image root must be given, or ImageRoot.none(...)");
    }

    /**
     * Returns a copy listening on another port.
     *
     * @param value the TCP port, 0 to 65535; 0 picks a free one
     * @return a copy listening on {@code value}, other settings unchanged
     */
    public ServeSettings withPort(int value) {
        return new ServeSettings(host, value, maxBatch, maxWaitMicros, queueCapacity, maxBodyBytes, maxInputs, maxChars,
                truncateLong, requestTimeoutMillis, drainMillis, imageRoot);
    }

    /**
     * Returns a copy with other micro-batching.
     *
     * @param batch most texts scored in one forward pass, at least 1; 1 turns micro-batching off
     * @param waitMicros how long a batch that is not full waits for more requests, in microseconds
     * @return a copy with this batching, other settings unchanged
     */
    public ServeSettings withBatching(int batch, long waitMicros) {
        return new ServeSettings(host, port, batch, waitMicros, queueCapacity, maxBodyBytes, maxInputs, maxChars,
                truncateLong, requestTimeoutMillis, drainMillis, imageRoot);
    }

    /**
     * Returns a copy with other request limits.
     *
     * @param queue requests waiting to be scored before new ones get 503, at least 1
     * @param body largest request body accepted, in bytes
     * @param inputs most texts in one request, at least 1
     * @param chars longest text accepted, in characters
     * @param truncate cut longer texts to {@code chars} instead of refusing the request
     * @return a copy with these limits, other settings unchanged
     */
    public ServeSettings withLimits(int queue, long body, int inputs, int chars, boolean truncate) {
        return new ServeSettings(host, port, maxBatch, maxWaitMicros, queue, body, inputs, chars, truncate,
                requestTimeoutMillis, drainMillis, imageRoot);
    }

    /**
     * Returns a copy that lets image models read from another directory.
     *
     * @param root the directory image models may read from, or {@link ImageRoot#none} for none; not null
     * @return a copy that lets image models read from {@code root}, other settings unchanged
     */
    public ServeSettings withImageRoot(ImageRoot root) {
        return new ServeSettings(host, port, maxBatch, maxWaitMicros, queueCapacity, maxBodyBytes, maxInputs, maxChars,
                truncateLong, requestTimeoutMillis, drainMillis, root);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new GraftException(message);
        }
    }

    private static void require(boolean ok, Parameter parameter, Object value, String problem) {
        if (!ok) {
            throw new GraftException(parameter, value, problem);
        }
    }
}
