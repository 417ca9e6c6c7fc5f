package dev.graft.serve;

import dev.graft.AutoFit;
import dev.graft.FitData;
import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.Strategy;
import dev.graft.train.EpochRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Fine-tunes behind a serving model and swaps the result in when it beats the served model on
 * the same validation split. A failed run, or one that is not better, never replaces the model.
 */
public final class BackgroundImprover implements Runnable {

    /** One background training run; it may record what it decided (e.g. auto's kept step) in the status. */
    interface Training {
        FitResult fit(FitListener listener, BiConsumer<String, Object> status);
    }

    private final GraftServer server;
    /** Cleared once it has run, so that a long-lived server does not keep the data it held. */
    private Training training;
    private final Path out;
    private final String strategy;
    private final String engine;
    private final Consumer<String> log;
    private final Map<String, Object> status = new LinkedHashMap<>();

    /**
     * Prepares a background fit that replaces the served model when it scores better; the data is
     * read on the background thread.
     *
     * @param server serves the current model and takes the better one
     * @param request the data, split and options of the served model; its strategy and out are replaced
     * @param strategy {@code auto} or a strategy name, e.g. {@code two-stage:2}
     * @param autoOptions target and budget when {@code strategy} is auto
     * @param out where the background bundle is written
     * @param engine engine the new model is served with
     * @param log receives progress and the decision
     */
    public BackgroundImprover(GraftServer server, FitRequest request, String strategy, AutoFit.Options autoOptions,
            Path out, String engine, Consumer<String> log) {
        this(server, strategy, training(null, request, strategy, autoOptions, out), out, engine, log);
    }

    /**
     * Prepares a background fit on data already loaded (e.g. for the served model's own fit), so that
     * the files are not read again.
     *
     * @param server serves the current model and takes the better one
     * @param data the loaded and split data of the served model
     * @param request the options of the served model; its strategy and out are replaced
     * @param strategy {@code auto} or a strategy name, e.g. {@code two-stage:2}
     * @param autoOptions target and budget when {@code strategy} is auto
     * @param out where the background bundle is written
     * @param engine engine the new model is served with
     * @param log receives progress and the decision
     */
    public BackgroundImprover(GraftServer server, FitData data, FitRequest request, String strategy,
            AutoFit.Options autoOptions, Path out, String engine, Consumer<String> log) {
        this(server, strategy, training(data, request, strategy, autoOptions, out), out, engine, log);
    }

    BackgroundImprover(GraftServer server, String strategy, Training training, Path out, String engine, Consumer<String> log) {
        this.server = server;
        this.strategy = strategy;
        this.training = training;
        this.out = out;
        this.engine = engine;
        this.log = log;
        update("state", "waiting");
        update("strategy", strategy);
    }

    private static Training training(FitData data, FitRequest request, String strategy, AutoFit.Options autoOptions,
            Path out) {
        if (strategy.equals("auto")) {
            FitRequest auto = request.withOut(out);
            return (listener, status) -> {
                AutoFit.Result result = AutoFit.run(data != null ? data : FitData.load(auto, listener), auto,
                        autoOptions, listener);
                status.accept("kept_step", result.bestStrategy());
                status.accept("stop_reason", result.stopReason());
                return result.best();
            };
        }
        FitRequest planned = request.withDerivedStrategy(Strategy.parse(strategy)).withOut(out);
        return (listener, status) -> Graft.fit(data != null ? data : FitData.load(planned, listener), planned, listener);
    }

    /** {@return what {@code GET /v1/model} shows under {@code background}} */
    public synchronized Map<String, Object> status() {
        return new LinkedHashMap<>(status);
    }

    private synchronized void update(String key, Object value) {
        status.put(key, value);
    }

    /**
     * Starts the run on a daemon thread of low priority.
     *
     * @return the started thread, for callers that want to join or interrupt it
     */
    public Thread start() {
        Thread thread = new Thread(this, "graft-background-fit");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        update("state", "training");
        update("started_at", Instant.now().toString());
        log.accept("background: fine-tuning with strategy " + strategy + " into " + out);
        try {
            Training once = training;
            training = null;
            if (once == null) {
                throw new IllegalStateException("this background fit has already run");
            }
            FitResult result = once.fit(listener(), this::update);
            double seconds = (System.nanoTime() - start) / 1e9;
            double candidate = result.validation().macroF1();
            ServedModel current = server.slot().current();
            double served = current == null ? Double.NaN : current.validationMacroF1();
            update("seconds", Math.round(seconds));
            update("validation_macro_f1", candidate);
            update("served_validation_macro_f1", served);
            String figures = String.format(Locale.ROOT, "validation macro-F1 %.4f vs served %.4f, after %.0f s", candidate, served, seconds);
            if (Double.isNaN(served) || candidate > served) {
                ServedModel next = ServedModel.load(result.bundle(), engine, nextVersion(current));
                server.swap(next, "background " + strategy + ": " + figures);
                update("state", "swapped");
                update("version", next.version());
            } else {
                log.accept("background: kept model " + current.version() + ", the new one is not better (" + figures + ")");
                update("state", "not better");
            }
        } catch (Throwable t) {
            // any Throwable, OutOfMemoryError included: the served model keeps serving and the status stops saying "training"
            update("state", "failed");
            update("error", t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            log.accept("background: fine-tuning failed, the served model stays: "
                    + (t instanceof GraftException ? t.getMessage() : StackTraces.of(t)));
        }
    }

    private static String nextVersion(ServedModel current) {
        if (current != null && current.version().matches("v\\d+")) {
            return "v" + (Integer.parseInt(current.version().substring(1)) + 1);
        }
        return "v2";
    }

    private FitListener listener() {
        return new FitListener() {
            @Override
            public void info(String line) {
                log.accept("background: " + line);
            }

            @Override
            public void epoch(EpochRecord e) {
                String line = String.format(Locale.ROOT, "%s epoch %d: train loss %.4f, validation loss %.4f, accuracy %.4f",
                        e.stage(), e.epoch(), e.trainLoss(), e.validationLoss(), e.validationAccuracy());
                update("last_epoch", line);
                if (!"head".equals(e.stage()) || e.epoch() % 10 == 0) {
                    log.accept("background: " + line);
                }
            }
        };
    }
}
