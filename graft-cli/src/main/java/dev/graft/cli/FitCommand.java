package dev.graft.cli;

import dev.graft.AutoFit;
import dev.graft.FitRequest;
import dev.graft.FitRequestJson;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.Precision;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.Schedule;
import dev.graft.adapt.Strategy;
import dev.graft.adapt.TrainingOptions;
import dev.graft.backbone.Backbones;
import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import dev.graft.report.HtmlReport;
import dev.graft.train.ClassWeighting;
import dev.graft.train.HeadSelection;
import dev.graft.train.HeadSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code graft fit}: train a classifier on labelled text and save it as a bundle. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a text or image classifier on labelled data and save it as a bundle.")
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Labelled training data: .csv, .tsv or .jsonl (texts, or image paths in an image field), or a folder of images with one subfolder per label.")
    Path data;

    @Option(names = "--validation", description = "Separate validation file (default: split 10%% from --data).")
    Path validation;

    @Option(names = "--test", description = "Separate test file (default: none; see --holdout).")
    Path test;

    @Option(names = "--holdout", defaultValue = "0", description = "Without --test, hold out this share of --data as a test split (e.g. 0.1). Default: ${DEFAULT-VALUE} (feature extraction reports out-of-fold metrics instead).")
    double holdout;

    @Mixin
    TextInputOptions input;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Pretrained backbone: minilm, bge-small, hf:DIR (text); mobilenetv2[:SIZE], inceptionv3[:SIZE], smallcnn[:SIZE], cnn:DIR, tfjs:DIR[#LAYER], onnx:FILE[#NODE] (images). Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--strategy", defaultValue = "auto", description = "auto (measure, start with feature-extraction, fine-tune while it pays), feature-extraction, partial:K (top K blocks + head), full, two-stage or two-stage:K (head, then unfreeze all or the top K), gradual (one more group per plateau), lora or prefix (adapters + head). Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--target", description = "auto: stop as soon as a step reaches this validation macro-F1 (e.g. 0.95).")
    Double target;

    @Option(names = "--budget", description = "auto: wall-clock budget, e.g. 90s, 20m, 2h; a step that would not fit is not started.")
    String budget;

    @Option(names = "--unfreeze", defaultValue = "all", description = "two-stage: groups to unfreeze in stage 2, K or all. Default: ${DEFAULT-VALUE}.")
    String unfreeze;

    @Option(names = "--lr-ratio", defaultValue = "10", description = "The backbone learns this many times slower than the head. Default: ${DEFAULT-VALUE}.")
    double lrRatio;

    @Option(names = "--layer-decay", defaultValue = "1.0", description = "Each lower backbone group's learning rate is multiplied by this again (e.g. 0.8). Default: ${DEFAULT-VALUE}.")
    double layerDecay;

    @Option(names = "--l2sp", defaultValue = "0", description = "Pull tuned backbone weights towards the pretrained ones with this strength (replaces their weight decay). Default: ${DEFAULT-VALUE}.")
    double l2sp;

    @Option(names = "--schedule", defaultValue = "warmup-cosine", description = "Learning-rate schedule per stage: warmup-cosine, one-cycle or constant. Default: ${DEFAULT-VALUE}.")
    String schedule;

    @Option(names = "--backbone-dropout", defaultValue = "0.1", description = "Dropout inside the backbone while it trains. Default: ${DEFAULT-VALUE}.")
    double backboneDropout;

    @Option(names = "--lora-r", defaultValue = "8", description = "lora: rank r. Default: ${DEFAULT-VALUE}.")
    int loraRank;

    @Option(names = "--lora-alpha", defaultValue = "16", description = "lora: the update is scaled by alpha/r. Default: ${DEFAULT-VALUE}.")
    double loraAlpha;

    @Option(names = "--lora-dropout", defaultValue = "0.05", description = "lora: dropout on the adapter input. Default: ${DEFAULT-VALUE}.")
    double loraDropout;

    @Option(names = "--lora-targets", defaultValue = "query,key,value,attention-output", description = "lora: comma-separated linear layers (query, key, value, attention-output, intermediate, output) or all-linear. Default: ${DEFAULT-VALUE}.")
    String loraTargets;

    @Option(names = "--rslora", description = "lora: rank-stabilised scaling alpha/sqrt(r).")
    boolean rsLora;

    @Option(names = "--prefix-tokens", defaultValue = "10", description = "prefix: trainable key/value tokens per block. Default: ${DEFAULT-VALUE}.")
    int prefixTokens;

    @Option(names = "--adapter-blocks", defaultValue = "0", description = "lora, prefix: adapters only in the top K blocks (0 = all); the blocks below are cached. Default: ${DEFAULT-VALUE}.")
    int adapterBlocks;

    @Option(names = "--head-epochs", defaultValue = "0", description = "Epoch budget of head-only stages when fine-tuning; 0 = automatic. Default: ${DEFAULT-VALUE}.")
    int headEpochs;

    @Option(names = "--precision", defaultValue = "fp32", description = "Frozen features in fp32, or int8 (int8 weights on ONNX Runtime's integer kernels: faster, with quantisation noise; text encoders). Fine-tuning trains in fp32. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncate texts to this many tokens (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--head", defaultValue = "auto", description = "Head on frozen features: auto (logistic regression and MLP compete by 5-fold cross-validation), linear (logistic regression, L2 chosen by cross-validation), mlp or mlp:HIDDEN (dropout and weight decay chosen by cross-validation). Fine-tuning trains mlp (256 hidden) for auto. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--epochs", description = "feature-extraction: maximum head epochs (default automatic, about 4,000 steps); fine-tuning: epoch budget of each stage that trains the backbone (default 3). Early stopping ends sooner.")
    Integer epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate of the head (AdamW, warm-up then cosine); when the backbone trains, the head uses half of it and the backbone that divided by --lr-ratio. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--batch-size", description = "Examples per training step (default 32 for feature-extraction, 16 when the backbone trains).")
    Integer batchSize;

    @Option(names = "--patience", description = "Stop (or end the stage) after this many epochs without a better validation loss (default 10 for feature extraction's MLP head, 1 when the backbone trains). The head stage of two-stage and gradual always ends at its first validation plateau, so that unfreezing starts from a head that fits but has not memorised the training rows.")
    Integer patience;

    @Option(names = "--class-weights", defaultValue = "auto", description = "Weigh the loss by inverse class frequency: auto (when the largest class is at least 3x the smallest), balanced or none. Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @picocli.CommandLine.Mixin
    ImageFitOptions images = new ImageFitOptions();

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Where to save the model: a directory, or a file ending in .graft.")
    Path out;

    @Option(names = "--dry-run", description = "Print the plan (groups, trainable parameters, learning rate per group and stage) and stop.")
    boolean dryRun;

    @Option(names = "--checkpoint-dir", description = "Where fine-tuning checkpoints after every epoch (default <out>.checkpoint; deleted once the model is saved).")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue an interrupted fine-tuning run from its checkpoint directory, with its original options.")
    Path resume;

    @Option(names = "--log", description = "JSONL file receiving one line per epoch (default <out>.log.jsonl).")
    Path log;

    @Option(names = "--metrics-json", description = "Also write the test (or validation) metrics as JSON to this file.")
    Path metricsJson;

    @Option(names = "--report", description = "Also write a self-contained HTML report (learning curves, confusion matrix, per-class metrics, plan, provenance) to this file.")
    Path report;

    /** The original command's arguments when this run resumes one. */
    private String resumedCommand;

    @Option(names = {"-v", "--verbose"}, description = "Print every epoch, and stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (resume != null) {
            return resume();
        }
        if (data == null || out == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing required options: --data and --out (or --resume DIR)");
        }
        long start = System.nanoTime();
        boolean auto = strategy.strip().equals("auto");
        Strategy parsed = auto ? Strategy.featureExtraction() : Strategy.parse(strategy);
        if (parsed instanceof Strategy.Adapter adapter) {
            List<String> targets = loraTargets.strip().equals("all-linear") ? AdapterSpec.ALL_LINEAR
                    : List.of(loraTargets.split("\\s*,\\s*"));
            parsed = new Strategy.Adapter(new AdapterSpec(adapter.spec().kind(), loraRank, loraAlpha, loraDropout,
                    targets, rsLora, prefixTokens, adapterBlocks, 1.0));
        }
        int unfreezeGroups = unfreeze.equals("all") ? -1 : parseUnfreeze(unfreeze);
        TrainingOptions training = new TrainingOptions.Builder().seed(seed).learningRate(learningRate)
                .weightDecay(weightDecay).epochs(epochs == null ? 0 : epochs).patience(patience == null ? 0 : patience)
                .batchSize(batchSize == null ? 0 : batchSize).headStage(headEpochs, TrainingOptions.HEAD_STAGE_PATIENCE)
                .discriminative(0.5, lrRatio, layerDecay).l2sp(l2sp).schedule(new Schedule(schedule, 0.1))
                .unfreeze(unfreezeGroups).backboneDropout(backboneDropout).build();
        FitRequest request = FitRequest.of(data, out)
                .withHeldOut(validation, test)
                .withLoadOptions(input.toLoadOptions())
                .withBackbone(backbone, parsed, maxLength)
                .withHead(HeadSpec.parse(head))
                .withTraining(training)
                .withHeadSearch(HeadSelection.Search.forHead(head))
                .withHoldout(holdout)
                .withClassWeighting(ClassWeighting.parse(classWeights))
                .withImages(images.toImageOptions())
                .withPrecision(Precision.parse(precision))
                .withRun(checkpointDir, log)
                .withNotes(notes());
        PrintWriter stdout = spec.commandLine().getOut();
        if (auto) {
            return auto(request, stdout, start);
        }
        if (dryRun) {
            PlanPrinter.print(stdout, request);
            return 0;
        }
        return fit(request, stdout, start);
    }

    /** This command's own options, stored with the request in checkpoints so that --resume restores them. */
    private Map<String, String> notes() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("command", "graft " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        if (metricsJson != null) {
            notes.put("metrics_json", metricsJson.toAbsolutePath().toString());
        }
        if (report != null) {
            notes.put("report", report.toAbsolutePath().toString());
        }
        if (verbose) {
            notes.put("verbose", "true");
        }
        return notes;
    }

    private Integer fit(FitRequest request, PrintWriter stdout, long start) {
        FitResult result = Graft.fit(request, new ConsoleFitListener(stdout, verbose));
        Reports.printFit(stdout, result, (System.nanoTime() - start) / 1e9);
        stdout.printf("epoch log: %s%n", request.logOrDefault());
        stdout.flush();
        if (metricsJson != null) {
            Reports.writeJson(metricsJson, (result.test() != null ? result.test() : result.validation()).toJsonMap());
        }
        writeReport(result, strategy, request.logOrDefault(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private Integer auto(FitRequest request, PrintWriter stdout, long start) {
        AutoFit.Options options = new AutoFit.Options(target == null ? Double.NaN : target,
                budget == null ? Double.POSITIVE_INFINITY : Durations.seconds(budget, "--budget"));
        if (target != null && !(target > 0 && target <= 1)) {
            throw new GraftException("--target " + target + " is a validation macro-F1; give a number in (0, 1], e.g. 0.95");
        }
        if (dryRun) {
            stdout.println("strategy auto: the advisor measures the data (graft advise), then feature-extraction;");
            stdout.println("two-stage:2 unless the advisor judges the frozen features enough or --target is met;");
            stdout.println("then two-stage (or full) when two-stage:2 still improved and the data is large; stop at a plateau or --budget.");
            stdout.println("Each step's plan: graft fit --strategy <step> --dry-run");
            stdout.flush();
            return 0;
        }
        AutoFit.Result result = AutoFit.run(request, options, new ConsoleFitListener(stdout, verbose));
        stdout.println();
        stdout.println("auto: steps");
        stdout.printf("  %-20s %12s %10s %10s %12s %14s%n", "strategy", "val macro-F1", "test", "time", "peak memory",
                "trainable");
        for (AutoFit.Step s : result.steps()) {
            stdout.printf("  %-20s %12.4f %10s %9.0fs %12s %,14d%s%n", s.strategy(), s.validationMacroF1(),
                    Double.isNaN(s.testMacroF1()) ? "–" : String.format("%.4f", s.testMacroF1()), s.seconds(),
                    s.peakBytes() > 0 ? String.format("%.1f GB", s.peakBytes() / (double) (1L << 30)) : "?",
                    s.trainableParameters(), s.strategy().equals(result.bestStrategy()) ? "   ← kept" : "");
        }
        stdout.println("stopped: " + result.stopReason());
        stdout.println("summary: " + result.summary());
        Reports.printFit(stdout, result.best(), (System.nanoTime() - start) / 1e9);
        Path bestLog = out.toAbsolutePath().resolveSibling(out.getFileName() + ".auto")
                .resolve(result.bestStrategy().replace(':', '-') + ".log.jsonl");
        writeReport(result.best(), "auto → " + result.bestStrategy(), bestLog, (System.nanoTime() - start) / 1e9);
        if (metricsJson != null) {
            FitResult best = result.best();
            Reports.writeJson(metricsJson, (best.test() != null ? best.test() : best.validation()).toJsonMap());
        }
        return 0;
    }

    private void writeReport(FitResult result, String strategyName, Path epochLog, double seconds) {
        if (report == null) {
            return;
        }
        BundleManifest manifest = Bundle.readManifest(out);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("data", data.toAbsolutePath());
        facts.put("bundle", out.toAbsolutePath());
        facts.put("backbone", backbone + ", max length " + maxLength);
        facts.put("seed", seed);
        facts.put("parameters", String.format(Locale.ROOT, "%,d trainable of %,d", result.trainableParameters(),
                result.totalParameters()));
        facts.put("time", String.format(Locale.ROOT, "%.1f s (features %.1f s, training %.1f s)", seconds,
                result.featureSeconds(), result.trainSeconds()));
        if (manifest.provenance() != null) {
            facts.put("data sha256", manifest.provenance().get("data_sha256"));
            facts.put("rows", manifest.provenance().get("rows"));
        }
        facts.put("command", resumedCommand != null ? resumedCommand
                : "graft " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        FineTunePlan plan = manifest.plan() != null && !manifest.plan().backboneFrozen() ? manifest.plan() : null;
        HtmlReport.write(report, HtmlReport.fit(out.getFileName().toString(), strategyName,
                plan, epochLog, result.validation(), result.test(), facts));
        spec.commandLine().getOut().println("report: " + report);
    }

    private Integer resume() {
        long start = System.nanoTime();
        FitRequest request = FitRequestJson.fromCheckpoint(resume);
        Map<String, String> notes = request.notes();
        data = request.data();
        out = request.out();
        strategy = request.strategy().name();
        backbone = request.backbone();
        maxLength = request.maxLength();
        seed = request.training().seed();
        metricsJson = metricsJson != null ? metricsJson : pathNote(notes, "metrics_json");
        report = report != null ? report : pathNote(notes, "report");
        verbose |= "true".equals(notes.get("verbose"));
        resumedCommand = notes.getOrDefault("command", "graft fit --data " + data + " --strategy " + strategy + " --out " + out);
        spec.commandLine().getOut().println("resuming: " + resumedCommand);
        return fit(request, spec.commandLine().getOut(), start);
    }

    private static Path pathNote(Map<String, String> notes, String key) {
        return notes.containsKey(key) ? Path.of(notes.get(key)) : null;
    }

    private static int parseUnfreeze(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new GraftException("--unfreeze " + value + " must be a number of groups or all");
        }
    }
}
