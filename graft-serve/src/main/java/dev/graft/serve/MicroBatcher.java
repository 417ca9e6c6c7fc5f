package dev.graft.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Scores requests on one worker thread, gathering concurrent requests into one forward pass: a
 * batch starts with the oldest waiting request and takes the requests behind it until it holds
 * {@code maxBatch} texts or {@code maxWait} has passed since it started. A forward pass is
 * already parallel inside (one intra-op thread per core), so a single worker keeps the cores
 * busy without two passes fighting for them. The queue is bounded: when it is full,
 * {@link #submit} refuses at once rather than letting latency grow without limit. A request
 * whose time runs out leaves the queue and is never scored.
 *
 * <p>A worker that meets any {@link Throwable} (an {@link OutOfMemoryError}, say) fails the batch
 * it holds with 500, logs why, reports itself down ({@link #working()} is false) and is started
 * again; after {@value #MAX_DEATHS} deaths within {@value #DEATH_WINDOW_SECONDS} s it stays down,
 * refuses every request with 503 and calls the give-up action.
 */
public final class MicroBatcher implements AutoCloseable {

    /** Deaths within {@link #DEATH_WINDOW_SECONDS} after which the worker is not started again. */
    static final int MAX_DEATHS = 3;
    static final long DEATH_WINDOW_SECONDS = 60;

    /** The scores of one request and the model version that produced them. */
    public record Scored(String version, List<String> labels, float[][] probabilities) {}

    private record Job(CompletableFuture<Scored> result, List<String> texts, long enqueued) {}

    private final ModelSlot slot;
    private final ServerMetrics metrics;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long timeoutMillis;
    private final BlockingQueue<Job> queue;
    private final Consumer<String> log;
    private final Runnable onGiveUp;
    private final Executor restarter;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Deque<Long> deaths = new ArrayDeque<>();
    /** The jobs of the batch being scored; touched by the worker thread only. */
    private final List<Job> taken = new ArrayList<>();
    /** A job taken from the queue that did not fit in the last batch: it starts the next one. */
    private Job carried;
    private volatile boolean working = true;
    private volatile boolean gaveUp;
    private volatile boolean closing;

    /**
     * Logs to standard error and, if the worker keeps dying, stays down without further action.
     *
     * @param slot where the current model is borrowed from for each batch
     * @param settings batch size, wait, queue capacity and request timeout
     * @param metrics receives batch sizes, waits and queue depth
     */
    public MicroBatcher(ModelSlot slot, ServeSettings settings, ServerMetrics metrics) {
        this(slot, settings, metrics, System.err::println, () -> {}, MicroBatcher::startThread);
    }

    /**
     * @param log receives a worker's death (one line, then the stack) and its restart
     * @param onGiveUp run once when the worker died too often to be started again
     * @param restarter starts a replacement worker
     */
    MicroBatcher(ModelSlot slot, ServeSettings settings, ServerMetrics metrics, Consumer<String> log, Runnable onGiveUp,
            Executor restarter) {
        this.slot = slot;
        this.metrics = metrics;
        this.maxBatch = settings.maxBatch();
        this.maxWaitNanos = settings.maxWaitMicros() * 1_000L;
        this.timeoutMillis = settings.requestTimeoutMillis();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.log = log;
        this.onGiveUp = onGiveUp;
        this.restarter = restarter;
        startThread(this::work);
    }

    static void startThread(Runnable work) {
        Thread worker = new Thread(work, "graft-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues one request's texts for scoring in the next batch.
     *
     * @param texts the inputs of one request
     * @return completes with the scores, or exceptionally with an {@link ApiError}, or with a
     *     {@link java.util.concurrent.TimeoutException} once the request timeout has passed
     * @throws ApiError 503 when the queue is full, the worker has stopped or the server is shutting down
     */
    public CompletableFuture<Scored> submit(List<String> texts) {
        return submit(texts, timeoutMillis);
    }

    CompletableFuture<Scored> submit(List<String> texts, long timeoutMillis) {
        if (closing) {
            throw new ApiError(503, "shutting_down", "the server is shutting down; retry against another instance");
        }
        if (gaveUp) {
            throw workerStopped();
        }
        Job job = new Job(new CompletableFuture<>(), texts, System.nanoTime());
        if (!queue.offer(job)) {
            throw new ApiError(503, "overloaded", "the server has " + queue.size()
                    + " requests waiting, its limit; retry after the Retry-After delay");
        }
        metrics.queueDepth(queue.size());
        job.result().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((scored, failure) -> {
            if (failure != null && queue.remove(job)) {
                metrics.queueDepth(queue.size());
            }
        });
        return job.result();
    }

    /** {@return requests waiting to be scored} */
    public int waiting() {
        return queue.size();
    }

    /** {@return false while no worker runs: after a death until its replacement starts, or for good once it gave up} */
    public boolean working() {
        return working;
    }

    private void work() {
        working = true;
        try {
            serveUntilClosed();
        } catch (Throwable t) {
            working = false;
            died(t);
            return;
        }
        working = false;
        refuseWaiting(new ApiError(503, "shutting_down", "the server stopped before scoring this request"));
        stopped.countDown();
    }

    private void serveUntilClosed() {
        while (!(closing && carried == null && queue.isEmpty())) {
            taken.clear();
            try {
                Job first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                taken.add(first);
                if (!first.result().isDone()) {
                    score(gather(first));
                }
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            }
        }
    }

    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int texts = first.texts().size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (texts < maxBatch) {
            long left = deadline - System.nanoTime();
            Job next = left > 0 && !closing ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (next.result().isDone()) {
                continue;
            }
            if (texts + next.texts().size() > maxBatch) {
                carried = next;
                break;
            }
            taken.add(next);
            batch.add(next);
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
                log.accept("model " + model.version() + " failed on a batch of " + texts.size() + " texts: " + StackTraces.of(e));
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

    /** Runs on the dying worker's thread, after its loop ended with {@code t}. */
    private void died(Throwable t) {
        fail(taken, new ApiError(500, "worker_failed", "the server failed while scoring this request ("
                + t.getClass().getSimpleName() + "); its log has details; retry"));
        taken.clear();
        metrics.workerDied();
        try {
            log.accept("the scoring worker died: " + StackTraces.of(t));
        } catch (Throwable ignored) {
            // out of memory again while logging: what follows matters more than the log line
        }
        if (closing) {
            refuseWaiting(new ApiError(503, "shutting_down", "the server stopped before scoring this request"));
            stopped.countDown();
        } else if (diedTooOften()) {
            gaveUp = true;
            log.accept("the scoring worker died " + MAX_DEATHS + " times within " + DEATH_WINDOW_SECONDS
                    + " s; it stays down and every prediction is refused");
            refuseWaiting(workerStopped());
            stopped.countDown();
            onGiveUp.run();
        } else {
            log.accept("restarting the scoring worker; /readyz answers 503 until it runs");
            restarter.execute(this::work);
        }
    }

    private boolean diedTooOften() {
        long now = System.nanoTime();
        deaths.addLast(now);
        while (now - deaths.peekFirst() > TimeUnit.SECONDS.toNanos(DEATH_WINDOW_SECONDS)) {
            deaths.removeFirst();
        }
        return deaths.size() >= MAX_DEATHS;
    }

    private void refuseWaiting(ApiError error) {
        if (carried != null) {
            carried.result().completeExceptionally(error);
            carried = null;
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(error);
        }
    }

    private static ApiError workerStopped() {
        return new ApiError(503, "worker_stopped", "the server's scoring worker kept failing and has stopped; "
                + "retry against another instance");
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
            stopped.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
