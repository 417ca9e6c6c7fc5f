package dev.graft.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scores requests on one worker thread, gathering concurrent requests into one forward pass: a
 * batch starts with the oldest waiting request and takes the requests behind it until it holds
 * {@code maxBatch} texts or {@code maxWait} has passed since it started. A forward pass is
 * already parallel inside (one intra-op thread per core), so a single worker keeps the cores
 * busy without two passes fighting for them. The queue is bounded: when it is full,
 * {@link #submit} refuses at once rather than letting latency grow without limit.
 */
public final class MicroBatcher implements AutoCloseable {

    /** The scores of one request and the model version that produced them. */
    public record Scored(String version, List<String> labels, float[][] probabilities) {}

    private record Job(List<String> texts, CompletableFuture<Scored> result, long enqueued) {}

    private final ModelSlot slot;
    private final ServerMetrics metrics;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Job> queue;
    private final Thread worker;
    private volatile boolean closing;

    /**
     * @param slot where the current model is borrowed from for each batch
     * @param settings batch size, wait and queue capacity
     * @param metrics receives batch sizes, waits and queue depth
     */
    public MicroBatcher(ModelSlot slot, ServeSettings settings, ServerMetrics metrics) {
        this.slot = slot;
        this.metrics = metrics;
        this.maxBatch = settings.maxBatch();
        this.maxWaitNanos = settings.maxWaitMicros() * 1_000L;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new Thread(this::run, "graft-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * @param texts the inputs of one request
     * @return completes with the scores, or exceptionally with an {@link ApiError}
     * @throws ApiError 503 when the queue is full or the server is shutting down
     */
    public CompletableFuture<Scored> submit(List<String> texts) {
        if (closing) {
            throw new ApiError(503, "shutting_down", "the server is shutting down; retry against another instance");
        }
        Job job = new Job(texts, new CompletableFuture<>(), System.nanoTime());
        if (!queue.offer(job)) {
            throw new ApiError(503, "overloaded", "the server has " + queue.size()
                    + " requests waiting, its limit; retry after the Retry-After delay");
        }
        metrics.queueDepth(queue.size());
        return job.result();
    }

    /** @return requests waiting to be scored */
    public int waiting() {
        return queue.size();
    }

    private void run() {
        while (!(closing && queue.isEmpty())) {
            try {
                Job first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    score(gather(first));
                }
            } catch (InterruptedException e) {
                if (closing) {
                    break;
                }
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new ApiError(503, "shutting_down", "the server stopped before scoring this request"));
        }
    }

    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int texts = first.texts().size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (texts < maxBatch) {
            Job next = queue.peek();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closing) {
                    break;
                }
                next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                if (texts + next.texts().size() > maxBatch) {
                    score(batch);
                    batch = new ArrayList<>();
                    texts = 0;
                }
                batch.add(next);
                texts += next.texts().size();
                continue;
            }
            if (texts + next.texts().size() > maxBatch) {
                break;
            }
            batch.add(queue.poll());
            texts += next.texts().size();
        }
        metrics.queueDepth(queue.size());
        return batch;
    }

    private void score(List<Job> batch) {
        long started = System.nanoTime();
        List<String> texts = new ArrayList<>();
        for (Job job : batch) {
            texts.addAll(job.texts());
            metrics.waited((started - job.enqueued()) / 1e9);
        }
        ServedModel model = slot.borrow();
        if (model == null) {
            fail(batch, new ApiError(503, "not_ready", "no model is loaded yet; retry when GET /readyz answers 200"));
            return;
        }
        boolean retryAlone = false;
        try {
            float[][] probabilities = model.score(texts);
            metrics.batch(texts.size());
            int offset = 0;
            for (Job job : batch) {
                float[][] mine = new float[job.texts().size()][];
                System.arraycopy(probabilities, offset, mine, 0, mine.length);
                offset += mine.length;
                job.result().complete(new Scored(model.version(), model.labels(), mine));
            }
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                // one request's bad input (an unreadable image, say) must not fail the others batched with it
                retryAlone = true;
            } else if (e instanceof dev.graft.GraftException) {
                fail(batch, new ApiError(400, "bad_input", e.getMessage()));
            } else {
                System.err.println("graft serve: model " + model.version() + " failed on a batch of " + texts.size()
                        + " texts: " + e);
                fail(batch, new ApiError(500, "model_failed", "the model failed on this request (" + e.getClass().getSimpleName()
                        + "); the server log has details"));
            }
        } finally {
            model.release();
        }
        if (retryAlone) {
            for (Job job : batch) {
                score(List.of(job));
            }
        }
    }

    private static void fail(List<Job> batch, ApiError error) {
        for (Job job : batch) {
            job.result().completeExceptionally(error);
        }
    }

    /** Scores what is already queued, then stops the worker; later submissions get 503. */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
