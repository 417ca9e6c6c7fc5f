package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.bundle.TextClassifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft export}: a deployable form of a bundle. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a saved model for deployment: --merge folds LoRA adapters into the backbone weights.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Bundle directory or .graft file.")
    Path model;

    @Option(names = "--merge", description = "Fold LoRA adapters into the weights (a bundle without adapters).")
    boolean merge;

    @Option(names = "--out", required = true, description = "The exported bundle: a directory or a .graft file.")
    Path out;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (!merge) {
            throw new GraftException("graft export needs --merge (Hugging Face and ONNX formats are not available yet)");
        }
        try (TextClassifier classifier = TextClassifier.load(model, null)) {
            classifier.saveMerged(out);
        }
        spec.commandLine().getOut().println("merged adapters into " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
