package dev.graft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftCache;
import dev.graft.data.DataSplit;
import dev.graft.data.StratifiedSplitter;
import dev.graft.data.TextDataset;
import dev.graft.data.TextExample;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.datasets.Datasets;
import dev.graft.io.AtomicFiles;
import dev.graft.train.ClassificationMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code graft demo}: fetch SpamAssassin, split it 80/10/10 (stratified, seeded), fit feature
 * extraction on MiniLM, then load the saved bundle and evaluate it on the test split.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetch SpamAssassin, fit a spam classifier on MiniLM features (80/10/10 split), evaluate it on the test split.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and of training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Where to save the model. Default: <cache>/demo/spam-assassin.graft.")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Print every epoch, and stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        Path dir = GraftCache.root().resolve("demo");
        Path data = Datasets.fetch("spam-assassin", line -> System.err.println(line));
        stdout.println("dataset: " + data);

        TextDataset all = TextLoader.load(data, TextLoadOptions.defaults());
        DataSplit split = StratifiedSplitter.split(all, 0.1, 0.1, seed);
        Path train = writeJsonl(dir.resolve("train.jsonl"), split.train());
        Path validation = writeJsonl(dir.resolve("validation.jsonl"), split.validation());
        Path test = writeJsonl(dir.resolve("test.jsonl"), split.test());
        Path model = out != null ? out : dir.resolve("spam-assassin.graft");

        FitRequest request = FitRequest.of(train, model).withHeldOut(validation, test);
        request = request.withTraining(request.training().withSeed(seed));
        FitResult result = Graft.fit(request, new ConsoleFitListener(stdout, verbose));
        stdout.printf("saved %s (validation accuracy %.4f, macro-F1 %.4f)%n", result.bundle(),
                result.validation().accuracy(), result.validation().macroF1());

        stdout.println();
        stdout.println("graft evaluate --model " + model + " --data " + test);
        ClassificationMetrics metrics = Graft.evaluate(model, test, TextLoadOptions.defaults(),
                new ConsoleFitListener(stdout, verbose));
        stdout.println(metrics.toTable());
        Reports.writeJson(dir.resolve("test-metrics.json"), metrics.toJsonMap());
        stdout.printf("%ndemo finished in %.1f s; metrics in %s%n", (System.nanoTime() - start) / 1e9,
                dir.resolve("test-metrics.json"));
        stdout.flush();
        return 0;
    }

    private static Path writeJsonl(Path file, TextDataset data) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (TextExample e : data.examples()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("text", e.text());
            row.put("label", e.label());
            sb.append(mapper.writeValueAsString(row)).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
