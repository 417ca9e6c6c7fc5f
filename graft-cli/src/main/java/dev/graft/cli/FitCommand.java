package dev.graft.cli;

import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbones;
import dev.graft.train.HeadSpec;
import dev.graft.train.HeadTrainingConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft fit}: train a classifier on labelled text and save it as a bundle. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a text classifier on labelled data and save it as a bundle.")
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Labelled training data: .csv, .tsv or .jsonl.")
    Path data;

    @Option(names = "--validation", description = "Separate validation file (default: split 10% from --data).")
    Path validation;

    @Option(names = "--test", description = "Separate test file (default: split 10% from --data).")
    Path test;

    @Mixin
    TextInputOptions input;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--strategy", defaultValue = "feature-extraction", description = "How to adapt the backbone. Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncate texts to this many tokens (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--head", defaultValue = "mlp", description = "Head: linear, mlp (256 hidden, dropout 0.2) or mlp:HIDDEN. Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--epochs", defaultValue = "0", description = "Maximum epochs of head training; 0 = automatic (about 4,000 steps). Early stopping ends sooner. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (AdamW, warm-up then cosine). Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per training step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--patience", defaultValue = "10", description = "Stop after this many epochs without a better validation loss. Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, description = "Where to save the model: a directory, or a file ending in .graft.")
    Path out;

    @Option(names = "--metrics-json", description = "Also write the test (or validation) metrics as JSON to this file.")
    Path metricsJson;

    @Option(names = {"-v", "--verbose"}, description = "Print every epoch, and stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        FitRequest request = FitRequest.of(data, out)
                .withHeldOut(validation, test)
                .withLoadOptions(input.toLoadOptions())
                .withBackbone(backbone, Strategy.parse(strategy), maxLength)
                .withHead(HeadSpec.parse(head),
                        new HeadTrainingConfig(epochs, batchSize, learningRate, weightDecay, patience, seed));
        FitResult result = Graft.fit(request, new ConsoleFitListener(spec.commandLine().getOut(), verbose));
        Reports.printFit(spec.commandLine().getOut(), result, (System.nanoTime() - start) / 1e9);
        if (metricsJson != null) {
            Reports.writeJson(metricsJson, (result.test() != null ? result.test() : result.validation()).toJsonMap());
        }
        return 0;
    }
}
