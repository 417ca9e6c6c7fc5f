package dev.graft.cli;

import dev.graft.AutoFit;
import dev.graft.FitData;
import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbones;
import dev.graft.serve.BackgroundImprover;
import dev.graft.serve.GraftServer;
import dev.graft.serve.ImageRoot;
import dev.graft.serve.ModelSlot;
import dev.graft.serve.ServeSettings;
import dev.graft.serve.ServedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft serve}: an HTTP prediction server, optionally training its model first and improving it in the background. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over HTTP: POST /v1/predict, GET /v1/model, /healthz, /readyz, /metrics.",
                "With --data, fit feature extraction, serve it as soon as it is ready, fine-tune in the background and swap in the better model."})
final class ServeCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--model", required = true, description = "A bundle (.graft file or directory) or, with --engine onnx, an ONNX export directory.")
        Path model;

        @Option(names = "--data", required = true, description = "Labelled training data (.csv, .tsv, .jsonl): fit, serve, improve.")
        Path data;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--validation", description = "--data: separate validation file (default: split 10%% from --data); the swap compares models on it.")
    Path validation;

    @Option(names = "--test", description = "--data: separate test file (default: split 10%% from --data).")
    Path test;

    @Mixin
    TextInputOptions input;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "--data: pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--precision", defaultValue = "fp32", description = "--data: frozen features in fp32, or int8 (int8 weights on ONNX Runtime's integer kernels: faster, with quantisation noise; text encoders). Fine-tuning trains in fp32. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--max-length", defaultValue = "128", description = "--data: tokens per text (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--then", defaultValue = "auto", description = "--data: background strategy after feature extraction: auto, a strategy such as two-stage:2, or none. Default: ${DEFAULT-VALUE}.")
    String then;

    @Option(names = "--budget", description = "--data with --then auto: wall-clock budget of the background run, e.g. 20m.")
    String budget;

    @Option(names = "--target", description = "--data with --then auto: stop the background run once a step reaches this validation macro-F1.")
    Double target;

    @Option(names = "--seed", defaultValue = "42", description = "--data: seed of the split and training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--work-dir", description = "--data: where the bundles are written (default <data>.serve).")
    Path workDir;

    @Option(names = "--engine", defaultValue = "djl", description = "djl (any bundle) or onnx (an ONNX export directory). Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--max-batch", defaultValue = "32", description = "Most texts per forward pass; 1 turns micro-batching off. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--max-wait", defaultValue = "2ms", description = "How long a batch that is not full waits for more requests. Default: ${DEFAULT-VALUE}.")
    String maxWait;

    @Option(names = "--queue", defaultValue = "256", description = "Requests waiting to be scored before new ones get 503 with Retry-After. Default: ${DEFAULT-VALUE}.")
    int queue;

    @Option(names = "--max-body", defaultValue = "1MB", description = "Largest request body. Default: ${DEFAULT-VALUE}.")
    String maxBody;

    @Option(names = "--max-inputs", defaultValue = "64", description = "Most texts in one request. Default: ${DEFAULT-VALUE}.")
    int maxInputs;

    @Option(names = "--max-chars", defaultValue = "20000", description = "Longest text in characters. Default: ${DEFAULT-VALUE}.")
    int maxChars;

    @Option(names = "--long-texts", defaultValue = "truncate", description = "Texts over --max-chars: truncate or refuse (413). Default: ${DEFAULT-VALUE}.")
    String longTexts;

    @Option(names = "--timeout", defaultValue = "30s", description = "A request not answered in this time gets 503. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--image-root", paramLabel = "DIR", description = "Image models: the directory requests may name images in (paths relative to it, or inside it); without it every image request is refused.")
    Path imageRoot;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        long start = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> log = line -> {
            synchronized (out) {
                out.println(LocalTime.now().format(CLOCK) + "  " + line);
                out.flush();
            }
        };
        if (!longTexts.equals("truncate") && !longTexts.equals("refuse")) {
            throw new GraftException("--long-texts " + longTexts + " is not known; use truncate or refuse");
        }
        ServeSettings settings = new ServeSettings(host, port, maxBatch, Durations.micros(maxWait, "--max-wait"), queue,
                ByteSizes.parse(maxBody, "--max-body"), maxInputs, maxChars, longTexts.equals("truncate"),
                Math.round(Durations.seconds(timeout, "--timeout") * 1000), 10_000, imageRoot());
        FitRequest request = source.data == null ? null : request();
        if (request != null && !then.equals("none") && !then.equals("auto")) {
            Strategy.parse(then);
        }
        ServedModel first = source.model == null ? null : ServedModel.load(source.model, engine, "v1");
        GraftServer server;
        try {
            server = new GraftServer(settings, new ModelSlot(null), log);
        } catch (RuntimeException e) {
            if (first != null) {
                new ModelSlot(first).close();
            }
            throw new GraftException("cannot listen on " + host + ":" + port + ": " + rootMessage(e)
                    + " (is another server on that port? choose another with --port)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean workerGaveUp = new AtomicBoolean();
        server.onWorkerGaveUp(() -> {
            log.accept("stopping with exit status 1 so that a supervisor can start the server again");
            workerGaveUp.set(true);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.accept("shutting down: draining in-flight requests");
            server.close();
            stopped.countDown();
        }, "graft-serve-shutdown"));
        if (first != null) {
            warnWithoutImageRoot(first, log);
            server.swap(first, "from " + source.model);
        } else {
            Path work = workDir != null ? workDir : source.data.toAbsolutePath().resolveSibling(source.data.getFileName() + ".serve");
            log.accept("fitting feature extraction on " + source.data + " (the model is served as soon as it is ready)");
            FitListener console = new ConsoleFitListener(out, false);
            FitData data = FitData.load(request, console);
            FitResult fitted = Graft.fit(data, request.withOut(work.resolve("v1-feature-extraction")), console);
            ServedModel fittedModel = ServedModel.load(fitted.bundle(), "djl", "v1");
            warnWithoutImageRoot(fittedModel, log);
            server.swap(fittedModel, String.format(Locale.ROOT,
                    "feature extraction, validation macro-F1 %.4f, ready %.1f s after start",
                    fitted.validation().macroF1(), (System.nanoTime() - start) / 1e9));
            if (!then.equals("none")) {
                AutoFit.Options options = new AutoFit.Options(target == null ? Double.NaN : target,
                        budget == null ? Double.POSITIVE_INFINITY : Durations.seconds(budget, "--budget"));
                BackgroundImprover improver = new BackgroundImprover(server, data, request, then, options,
                        work.resolve("v2-" + then.replace(':', '-')), "djl", log);
                server.background(improver::status);
                improver.start();
            }
        }
        log.accept("ready: curl -s -X POST http://" + host + ":" + server.port()
                + "/v1/predict -H 'Content-Type: application/json' -d '{\"inputs\": [\"some text\"]}'");
        stopped.await();
        return workerGaveUp.get() ? 1 : 0;
    }

    private ImageRoot imageRoot() {
        if (imageRoot == null) {
            return ImageRoot.none("start graft serve with --image-root DIR");
        }
        if (!Files.isDirectory(imageRoot)) {
            throw new GraftException("--image-root " + imageRoot + ": no such directory; give the directory the images are in");
        }
        return ImageRoot.at(imageRoot);
    }

    private void warnWithoutImageRoot(ServedModel model, Consumer<String> log) {
        if (model.readsImages() && imageRoot == null) {
            log.accept("warning: this model reads image files, and without --image-root DIR every prediction is refused");
        }
    }

    private FitRequest request() {
        return FitRequest.of(source.data, null)
                .withHeldOut(validation, test)
                .withLoadOptions(input.toLoadOptions())
                .withBackbone(backbone, Strategy.featureExtraction(), maxLength)
                .withPrecision(dev.graft.Precision.parse(precision))
                .withTraining(dev.graft.adapt.TrainingOptions.defaults().withSeed(seed))
                .withHoldout(0.1);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
