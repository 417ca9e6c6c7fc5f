package dev.graft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.bundle.OnnxClassifier;
import dev.graft.bundle.BundleClassifier;
import dev.graft.train.Progress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft predict}: label texts with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Label texts with a saved model: the best label and its probability per text.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Bundle directory or .graft file written by graft fit, or a directory written by graft export --format onnx.")
    Path model;

    @Option(names = "--engine", description = "djl (Graft's own, any bundle) or onnx (ONNX Runtime, an ONNX export). Default: onnx for an ONNX export, else djl.")
    String engine;

    @Option(names = "--precision", description = "djl: frozen features in fp32 or int8 (int8 weights on ONNX Runtime's integer kernels: faster, with quantisation noise). Default: the precision the bundle was fitted in.")
    String precision;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "Texts to label.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--input", description = "File with one text per line ('-' for standard input).")
    String input;

    @Option(names = "--top-k", defaultValue = "1", description = "Labels to show per text, best first. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--json", description = "Print one JSON object per text instead of a table.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(texts);
        if (input != null) {
            all.addAll(readLines(input));
        }
        if (all.isEmpty()) {
            throw new GraftException("nothing to predict; give texts as arguments or --input FILE (one text per line)");
        }
        if (topK < 1) {
            throw new GraftException("--top-k " + topK + " must be at least 1");
        }
        boolean onnxExport = Files.isRegularFile(model.resolve(OnnxClassifier.MODEL));
        String chosen = engine == null ? (onnxExport ? "onnx" : "djl") : engine;
        float[][] probabilities;
        List<String> labels;
        if (chosen.equals("onnx")) {
            if (!onnxExport) {
                throw new GraftException("--engine onnx needs a directory written by graft export MODEL --format onnx --out DIR;"
                        + " " + model + " has no " + OnnxClassifier.MODEL);
            }
            try (OnnxClassifier classifier = OnnxClassifier.load(model)) {
                probabilities = classifier.probabilities(all);
                labels = classifier.labels();
            }
        } else if (chosen.equals("djl")) {
            if (onnxExport) {
                throw new GraftException(model + " is an ONNX export; run it with --engine onnx, or give the bundle it came from");
            }
            try (BundleClassifier classifier = BundleClassifier.load(model, null)) {
                if (precision != null) {
                    classifier.usePrecision(dev.graft.Precision.parse(precision));
                }
                Progress progress = all.size() > 64 ? new ConsoleProgress(System.err, "texts") : Progress.NONE;
                probabilities = classifier.probabilities(all, progress);
                labels = classifier.labels();
            }
        } else {
            throw new GraftException("--engine " + engine + " is not one of djl, onnx");
        }
        PrintWriter out = spec.commandLine().getOut();
        {
            List<List<dev.graft.Prediction>> predictions = dev.graft.Prediction.top(probabilities, labels, topK);
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < all.size(); i++) {
                List<dev.graft.Prediction> p = predictions.get(i);
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("text", all.get(i));
                    row.put("label", p.get(0).label());
                    row.put("probability", p.get(0).probability());
                    List<Map<String, Object>> top = new ArrayList<>();
                    for (dev.graft.Prediction s : p) {
                        top.add(Map.of("label", s.label(), "probability", s.probability()));
                    }
                    row.put("top", top);
                    out.println(mapper.writeValueAsString(row));
                } else {
                    StringBuilder line = new StringBuilder();
                    for (dev.graft.Prediction s : p) {
                        line.append(String.format("%s\t%.4f\t", s.label(), s.probability()));
                    }
                    out.println(line.append(excerpt(all.get(i))));
                }
            }
        }
        out.flush();
        return 0;
    }

    private static List<String> readLines(String source) throws IOException {
        List<String> lines = new ArrayList<>();
        if (source.equals("-")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } else {
            Path p = Path.of(source);
            if (!Files.isRegularFile(p)) {
                throw new GraftException("--input " + source + " is not a readable file; give a text file with one text per line");
            }
            try {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            } catch (java.nio.charset.MalformedInputException e) {
                throw new GraftException("--input " + source + " is not valid UTF-8; convert it, e.g. iconv -f latin1 -t utf-8");
            }
        }
        lines.removeIf(String::isBlank);
        return lines;
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }
}
