package dev.graft.cli;

import dev.graft.Graft;
import dev.graft.train.ClassificationMetrics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft evaluate}: score a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a saved model on labelled data: accuracy, macro-F1, per-class metrics, confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Bundle directory or .graft file written by graft fit.")
    Path model;

    @Option(names = "--data", required = true, description = "Labelled data: .csv, .tsv or .jsonl, with the model's labels.")
    Path data;

    @Mixin
    TextInputOptions input;

    @Option(names = "--json", description = "Also write the metrics as JSON to this file.")
    Path json;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        ClassificationMetrics metrics = Graft.evaluate(model, data, input.toLoadOptions(),
                new ConsoleFitListener(spec.commandLine().getOut(), verbose));
        spec.commandLine().getOut().println(metrics.toTable());
        spec.commandLine().getOut().flush();
        if (json != null) {
            Reports.writeJson(json, metrics.toJsonMap());
        }
        return 0;
    }
}
