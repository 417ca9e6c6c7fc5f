package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.Precision;
import dev.graft.bundle.BundleClassifier;
import dev.graft.bundle.ExportCheck;
import dev.graft.bundle.OnnxClassifier;
import dev.graft.data.TextLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft export}: a deployable form of a bundle. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a saved model: --format hf writes a Hugging Face directory (transformers, sentence-transformers)"
                + " plus the head; --merge writes a bundle with LoRA adapters folded into the weights.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Bundle directory or .graft file.")
    Path model;

    @Option(names = "--merge", description = "Fold LoRA adapters into the weights (a bundle without adapters).")
    boolean merge;

    @Option(names = "--format", description = "hf: a Hugging Face directory (config.json, model.safetensors, tokenizer.json, sentence-transformers files, graft_head.*); onnx: the whole classifier as model.onnx for ONNX Runtime.")
    String format;

    @Option(names = "--precision", defaultValue = "fp32", description = "onnx: fp32, or int8 (int8 weights and vocabulary, about a quarter of the size, on ONNX Runtime's integer kernels). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--data", description = "onnx: labelled data (.csv, .tsv or .jsonl) to score the export and the bundle on: both accuracies, how often they agree, the largest probability difference.")
    Path data;

    @Option(names = "--out", required = true, description = "Where: a directory (or a .graft file for --merge).")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (format != null) {
            if (!format.equals("hf") && !format.equals("onnx")) {
                throw new GraftException("--format " + format + " is not one of hf, onnx");
            }
            Precision chosen = Precision.parse(precision);
            if (format.equals("hf") && chosen != Precision.FP32) {
                throw new GraftException("--precision " + precision + " applies to --format onnx; the Hugging Face format is fp32");
            }
            if (data != null && !format.equals("onnx")) {
                throw new GraftException("--data scores an ONNX export; use it with --format onnx");
            }
            ExportCheck check = null;
            try (BundleClassifier classifier = BundleClassifier.load(model, null)) {
                if (format.equals("hf")) {
                    classifier.exportHuggingFace(out);
                } else {
                    classifier.exportOnnx(out, chosen);
                }
                if (data != null) {
                    check = ExportCheck.of(classifier, out, TextLoader.load(data),
                            new ConsoleProgress(System.err, "texts"));
                }
            }
            spec.commandLine().getOut().println("exported " + model + (format.equals("hf") ? " as a Hugging Face directory: "
                    : " as an ONNX classifier (graft predict --model DIR runs it with ONNX Runtime): ") + out);
            if (format.equals("onnx")) {
                spec.commandLine().getOut().printf(Locale.ROOT, "model.onnx: %.1f MB, %s%n",
                        Files.size(out.resolve(OnnxClassifier.MODEL)) / 1e6, chosen.id());
            }
            if (check != null) {
                spec.commandLine().getOut().printf(Locale.ROOT, "on %s (%,d rows): bundle accuracy %.4f, export "
                        + "accuracy %.4f, same label %.2f %%, max |Δ probability| %.3g%n", data, check.rows(),
                        check.bundleAccuracy(), check.exportAccuracy(), 100 * check.sameLabel(), check.maxProbabilityDifference());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (!merge) {
            throw new GraftException("graft export needs --format hf|onnx or --merge");
        }
        try (BundleClassifier classifier = BundleClassifier.load(model, null)) {
            classifier.saveMerged(out);
        }
        spec.commandLine().getOut().println("merged adapters into " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
