package dev.graft.cli;

import dev.graft.FitRequest;
import dev.graft.GraftException;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbones;
import dev.graft.compare.ComparedRun;
import dev.graft.compare.Comparison;
import dev.graft.compare.StrategySummary;
import dev.graft.report.HtmlReport;
import dev.graft.train.HeadSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft compare}: strategies side by side on one split, several seeds, one budget. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit several strategies with several seeds on the same split and budget; print mean and 95%% interval of the test macro-F1, time, memory, trainable parameters and compute; write JSON and an HTML report.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Labelled data: .csv, .tsv or .jsonl.")
    Path data;

    @Option(names = "--validation", description = "Separate validation file (default: split 10%% from --data).")
    Path validation;

    @Option(names = "--test", description = "Separate test file (default: split 10%% from --data).")
    Path test;

    @Mixin
    TextInputOptions input;

    @Option(names = "--strategies", defaultValue = "feature-extraction,partial:2,full,lora", split = ",",
            description = "Strategies to compare. Default: ${DEFAULT-VALUE}.")
    List<String> strategies;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per strategy (42, 43, …). Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--epochs", defaultValue = "3", description = "Epoch budget of every stage that trains the backbone, the same for every strategy. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--precision", defaultValue = "fp32", description = "Frozen features in fp32, or int8 (int8 weights on ONNX Runtime's integer kernels: faster, with quantisation noise; text encoders). Fine-tuning trains in fp32. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--max-length", defaultValue = "128", description = "Tokens per text (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--head", defaultValue = "auto", description = "Head: auto (feature extraction chooses between logistic regression and MLP by cross-validation; fine-tuning trains mlp), linear, mlp or mlp:HIDDEN. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--run-timeout", defaultValue = "4h", description = "Stop a run that takes longer than this (a hung worker) and report it as failed; the comparison goes on. E.g. 90m, 6h. Default: ${DEFAULT-VALUE}.")
    String runTimeout;

    @Option(names = "--no-advise", description = "Skip the advisor (its reasoning is left out of the report).")
    boolean noAdvise;

    @Option(names = "--work-dir", description = "Split, bundles and epoch logs (default <report or json>.runs, else compare.runs).")
    Path workDir;

    @Option(names = "--json", description = "Write every run and summary as JSON to this file.")
    Path json;

    @Option(names = "--report", description = "Write the HTML report to this file.")
    Path report;

    @Option(names = {"-v", "--verbose"}, description = "Print every epoch, and stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (seeds < 1 || seeds > 30) {
            throw new GraftException("--seeds " + seeds + " must be between 1 and 30");
        }
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(42L + i);
        }
        List<String> names = strategies.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        Comparison.Options options = new Comparison.Options(names, seedList, epochs, !noAdvise,
                java.time.Duration.ofMillis(Math.round(Durations.seconds(runTimeout, "--run-timeout") * 1000)));
        FitRequest request = FitRequest.of(data, null)
                .withHeldOut(validation, test)
                .withLoadOptions(input.toLoadOptions())
                .withBackbone(backbone, Strategy.featureExtraction(), maxLength)
                .withPrecision(dev.graft.Precision.parse(precision))
                .withHead(HeadSpec.parse(head))
                .withHeadSearch(dev.graft.train.HeadSelection.Search.forHead(head))
                .withHoldout(0.1);
        Path anchor = report != null ? report : json;
        Path work = workDir != null ? workDir
                : anchor != null ? anchor.toAbsolutePath().resolveSibling(anchor.getFileName() + ".runs") : Path.of("compare.runs");
        PrintWriter out = spec.commandLine().getOut();
        Comparison.Result result = Comparison.run(request, options, work, new ConsoleFitListener(out, verbose));
        print(out, result);
        if (json != null) {
            Reports.writeJson(json, toJson(result));
            out.println("json: " + json);
        }
        if (report != null) {
            HtmlReport.write(report, HtmlReport.comparison(result));
            out.println("report: " + report);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Comparison.Result result) {
        out.println();
        out.printf(Locale.ROOT, "compare: %d strategies × %d seeds, epoch budget %d per backbone stage; frozen features %.1f s once%n",
                result.options().strategies().size(), result.options().seeds().size(), result.options().epochs(), result.featureSeconds());
        out.printf(Locale.ROOT, "  %-20s %5s %20s %9s %10s %11s %14s %12s %7s%n", "strategy", "seeds", "test macro-F1 (95%)",
                "accuracy", "time", "peak mem", "trainable", "compute", "Pareto");
        for (StrategySummary s : result.summaries()) {
            out.printf(Locale.ROOT, "  %-20s %5d %11.4f ± %6.4f %9.4f %9.1fs %11s %,14d %8.2g FL %7s%n", s.strategy(), s.runs(),
                    s.testMacroF1(), s.testMacroF1Interval(), s.testAccuracy(), s.seconds(),
                    s.peakBytes() < 0 ? "?" : String.format(Locale.ROOT, "%.2f GB", s.peakBytes() / (double) (1L << 30)),
                    s.trainableParameters(), s.trainingFlops(), s.pareto() ? "yes" : "");
        }
        out.println("Pareto front (accuracy, time, memory): " + String.join(", ",
                result.summaries().stream().filter(StrategySummary::pareto).map(StrategySummary::strategy).toList()));
        for (String failure : result.failures()) {
            out.println("failed: " + failure);
        }
        ComparedRun best = result.best();
        out.printf(Locale.ROOT, "best run: %s seed %d, test macro-F1 %.4f (%s)%n", best.strategy(), best.seed(),
                best.test().macroF1(), best.bundle());
        out.printf(Locale.ROOT, "wall time %.0f s%n", result.seconds());
    }

    private static Map<String, Object> toJson(Comparison.Result result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("data", result.split().get("train").getParent().toString());
        root.put("strategies", result.options().strategies());
        root.put("seeds", result.options().seeds());
        root.put("epochs", result.options().epochs());
        root.put("feature_seconds", result.featureSeconds());
        root.put("mean_tokens", result.meanTokens());
        root.put("seconds", result.seconds());
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (StrategySummary s : result.summaries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", s.strategy());
            m.put("runs", s.runs());
            m.put("test_macro_f1", s.testMacroF1());
            m.put("test_macro_f1_ci95", s.testMacroF1Interval());
            m.put("test_accuracy", s.testAccuracy());
            m.put("validation_macro_f1", s.validationMacroF1());
            m.put("median_seconds", s.seconds());
            m.put("peak_bytes", s.peakBytes());
            m.put("trainable_parameters", s.trainableParameters());
            m.put("training_flops", s.trainingFlops());
            m.put("pareto", s.pareto());
            summaries.add(m);
        }
        root.put("summaries", summaries);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (ComparedRun r : result.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", r.strategy());
            m.put("seed", r.seed());
            m.put("validation", r.validation().toJsonMap());
            m.put("test", r.test().toJsonMap());
            m.put("seconds", r.seconds());
            m.put("peak_bytes", r.peakBytes());
            m.put("trainable_parameters", r.trainableParameters());
            m.put("total_parameters", r.totalParameters());
            m.put("samples_seen", r.samplesSeen());
            m.put("training_flops", r.trainingFlops());
            m.put("epochs", r.history().size());
            m.put("log", r.log().toString());
            m.put("bundle", r.bundle().toString());
            runs.add(m);
        }
        root.put("runs", runs);
        root.put("failures", result.failures());
        if (result.advice() != null) {
            root.put("advice", Map.of("recommendation", result.advice().recommendation(), "runner_up", result.advice().runnerUp(),
                    "reasons", result.advice().reasons()));
        }
        return root;
    }
}
