package dev.graft.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP front of a served model: {@code POST /v1/predict}, {@code GET /v1/model},
 * {@code /healthz}, {@code /readyz} and {@code /metrics}. Predictions go through a
 * {@link MicroBatcher}; every refusal is a JSON error, never a stack trace.
 */
public final class GraftServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDPOINTS = Set.of("/v1/predict", "/v1/model", "/healthz", "/readyz", "/metrics");

    private final ServeSettings settings;
    private final ModelSlot slot;
    private final ServerMetrics metrics;
    private final MicroBatcher batcher;
    private final Consumer<String> log;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Javalin app;
    private volatile Supplier<Map<String, Object>> background = () -> null;
    private volatile boolean draining;
    private volatile Runnable onWorkerGaveUp = () -> {};

    /**
     * Starts listening at once; until a model is in the slot, {@code /readyz} answers 503.
     *
     * @param settings address, batching and limits
     * @param slot the model to serve, swappable while running
     * @param log receives one line per notable event (start, swap, shutdown)
     */
    public GraftServer(ServeSettings settings, ModelSlot slot, Consumer<String> log) {
        this(settings, slot, log, MicroBatcher::startThread);
    }

    /** @param workerRestarter starts a scoring worker in place of one that died */
    GraftServer(ServeSettings settings, ModelSlot slot, Consumer<String> log, Executor workerRestarter) {
        this.settings = settings;
        this.slot = slot;
        this.log = log;
        this.metrics = new ServerMetrics();
        this.batcher = new MicroBatcher(slot, settings, metrics, log, () -> onWorkerGaveUp.run(), workerRestarter);
        if (slot.current() != null) {
            metrics.serving(slot.current(), false);
        }
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.http.asyncTimeout = settings.requestTimeoutMillis();
            config.jetty.timeoutStatus = 503;
            config.requestLogger.http((ctx, millis) -> {
                String endpoint = ENDPOINTS.contains(ctx.path()) ? ctx.path() : "other";
                metrics.request(endpoint, ctx.statusCode(), millis / 1000.0);
            });
            config.routes.post("/v1/predict", this::predict);
            config.routes.get("/v1/model", this::model);
            config.routes.get("/healthz", ctx -> json(ctx, 200, Map.of("status", "ok")));
            config.routes.get("/readyz", this::ready);
            config.routes.get("/metrics", ctx -> ctx.contentType(ServerMetrics.contentType()).result(metrics.scrape()));
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, fromJavalin(e)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.accept("unexpected error on " + ctx.method() + " " + ctx.path() + ": " + e);
                error(ctx, new ApiError(500, "internal", "the server failed on this request; its log has details"));
            });
            config.routes.error(405, "*", ctx -> error(ctx, new ApiError(405, "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path() + "; predictions are POST /v1/predict")));
        }).start(settings.host(), settings.port());
        log.accept("listening on http://" + settings.host() + ":" + app.port() + " (max batch " + settings.maxBatch()
                + ", max wait " + settings.maxWaitMicros() / 1000.0 + " ms, queue " + settings.queueCapacity() + ")");
    }

    /** {@return the port the server listens on} */
    public int port() {
        return app.port();
    }

    /**
     * Registers what to do when the scoring worker stays down.
     *
     * @param action run once if the scoring worker died so often that it stays down (see {@link MicroBatcher}); from
     *     then on every prediction gets 503 and {@code /readyz} 503, so the owner should end the process
     */
    public void onWorkerGaveUp(Runnable action) {
        this.onWorkerGaveUp = action;
    }

    /** {@return the slot, to swap models while serving} */
    public ModelSlot slot() {
        return slot;
    }

    /**
     * Shows a background run's status in {@code GET /v1/model}.
     *
     * @param status what {@code GET /v1/model} shows under {@code background} (the improving run), or null
     */
    public void background(Supplier<Map<String, Object>> status) {
        this.background = status;
    }

    /**
     * Serves {@code next} from now on; requests already in a batch finish on the old model.
     *
     * @param next the new model
     * @param reason logged with the swap
     */
    public void swap(ServedModel next, String reason) {
        ServedModel previous = slot.current();
        slot.swap(next);
        metrics.serving(next, previous != null);
        log.accept(previous == null ? "serving model " + next.version() + " (" + reason + ")"
                : "swapped model " + previous.version() + " → " + next.version() + " (" + reason + ")");
    }

    private void predict(Context ctx) {
        if (draining) {
            throw new ApiError(503, "shutting_down", "the server is shutting down; retry against another instance");
        }
        long length = ctx.req().getContentLengthLong();
        if (length > settings.maxBodyBytes()) {
            throw new ApiError(413, "body_too_large", "the body has " + length + " bytes; the limit is "
                    + settings.maxBodyBytes() + " (send fewer or shorter inputs, or start the server with a larger maximum body size)");
        }
        PredictRequest request = PredictRequest.parse(ctx.bodyAsBytes(), settings);
        ServedModel current = slot.current();
        boolean images = current != null && current.readsImages();
        List<String> inputs = images ? settings.imageRoot().resolve(request.texts()) : request.texts();
        CompletableFuture<MicroBatcher.Scored> scored = batcher.submit(inputs);
        inFlight.incrementAndGet();
        ctx.future(() -> scored.handle((result, failure) -> {
            try {
                if (failure != null) {
                    ApiError api = apiError(failure);
                    error(ctx, images ? new ApiError(api.status(), api.code(),
                            settings.imageRoot().hide(api.getMessage(), inputs, request.texts())) : api);
                } else {
                    json(ctx, 200, response(request, result));
                }
                return null;
            } finally {
                inFlight.decrementAndGet();
            }
        }));
    }

    private static ApiError apiError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiError api) {
            return api;
        }
        if (cause instanceof TimeoutException) {
            return new ApiError(503, "timeout", "the request was not scored in time; retry later");
        }
        return new ApiError(500, "internal", "the server failed on this request; its log has details");
    }

    private static Map<String, Object> response(PredictRequest request, MicroBatcher.Scored scored) {
        List<Map<String, Object>> predictions = new ArrayList<>();
        int k = Math.min(request.topK(), scored.labels().size());
        List<List<dev.graft.Prediction>> top =
                dev.graft.Prediction.top(scored.probabilities(), scored.labels(), k);
        for (int i = 0; i < top.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("label", top.get(i).get(0).label());
            p.put("probability", (float) top.get(i).get(0).probability());
            if (request.topK() > 1) {
                List<Map<String, Object>> ranked = new ArrayList<>();
                for (dev.graft.Prediction s : top.get(i)) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("label", s.label());
                    entry.put("probability", (float) s.probability());
                    ranked.add(entry);
                }
                p.put("top_k", ranked);
            }
            if (request.truncated().get(i)) {
                p.put("truncated", true);
            }
            predictions.add(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_version", scored.version());
        out.put("predictions", predictions);
        return out;
    }

    private void model(Context ctx) {
        ServedModel current = slot.current();
        if (current == null) {
            throw new ApiError(503, "not_ready", "no model is loaded yet; the first one is still training");
        }
        Map<String, Object> out = new LinkedHashMap<>(current.summary());
        Map<String, Object> improving = background.get();
        if (improving != null) {
            out.put("background", improving);
        }
        json(ctx, 200, out);
    }

    private void ready(Context ctx) {
        ServedModel current = slot.current();
        if (draining) {
            json(ctx, 503, Map.of("status", "draining"));
        } else if (current == null) {
            json(ctx, 503, Map.of("status", "loading"));
        } else if (!batcher.working()) {
            json(ctx, 503, Map.of("status", "worker_down"));
        } else {
            json(ctx, 200, Map.of("status", "ready", "model_version", current.version()));
        }
    }

    private static ApiError fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> new ApiError(404, "not_found", "no such endpoint; the endpoints are POST /v1/predict, GET /v1/model, /healthz, /readyz, /metrics");
            case 413 -> new ApiError(413, "body_too_large", "the body is larger than the server accepts; send fewer or shorter inputs, or start the server with a larger maximum body size");
            case 503 -> new ApiError(503, "timeout", "the request was not scored in time; retry later");
            default -> new ApiError(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
        };
    }

    private void error(Context ctx, ApiError e) {
        if (e.status() == 503) {
            ctx.header("Retry-After", "1");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", e.code());
        detail.put("message", e.getMessage());
        json(ctx, e.status(), Map.of("error", detail));
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Graceful shutdown: refuses new predictions (503), waits for in-flight ones up to the drain
     * time, then stops the listener and frees the model.
     */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + settings.drainMillis() * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = inFlight.get();
        batcher.close();
        app.stop();
        slot.close();
        log.accept("stopped at " + Instant.now() + (left > 0 ? " (" + left + " requests still in flight were cut off)" : "; every request was answered"));
    }
}
