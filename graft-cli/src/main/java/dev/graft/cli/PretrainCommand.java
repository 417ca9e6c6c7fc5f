package dev.graft.cli;

import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.backbone.vision.SmallCnn;
import dev.graft.bundle.Bundle;
import dev.graft.io.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a small CNN from scratch on a source dataset and saves it as a reusable backbone. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a small CNN from scratch on a source image dataset (e.g. MNIST) and save it as a backbone"
                + " for transfer: --backbone cnn:DIR in later fits.")
final class PretrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Labelled source images: a class-per-folder directory, or a .jsonl/.csv of image references and labels.")
    Path data;

    @Option(names = "--out", required = true, description = "Directory to create for the pretrained backbone.")
    Path out;

    @Option(names = "--backbone", defaultValue = "smallcnn", description = "Architecture to train from scratch: smallcnn or smallcnn:SIZE. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--epochs", defaultValue = "5", description = "Epoch budget (early stopping on validation loss may end sooner). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ImageFitOptions images = new ImageFitOptions();

    @Option(names = {"-v", "--verbose"}, description = "Print every epoch, and stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (!backbone.equals(SmallCnn.ID) && !backbone.startsWith(SmallCnn.ID + ":")) {
            throw new GraftException("graft pretrain trains smallcnn from scratch; '" + backbone
                    + "' is not one (pretrained backbones are fine-tuned with graft fit)");
        }
        if (Files.exists(out)) {
            throw new GraftException(out + " already exists; choose a new directory for the pretrained backbone");
        }
        long start = System.nanoTime();
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + out.getFileName() + ".pretrain.");
        try {
            TrainingOptions training = TrainingOptions.defaults().toBuilder().learningRate(learningRate)
                    .discriminative(1.0, 1, 1.0).epochs(epochs).patience(2).batchSize(batchSize).build();
            FitRequest request = FitRequest.of(data, work.resolve("source.graft"))
                    .withBackbone(backbone, Strategy.parse("full"), FitRequest.DEFAULT_MAX_LENGTH)
                    .withTraining(training)
                    .withImages(images.toImageOptions())
                    .withRun(work.resolve("checkpoint"), work.resolve("log.jsonl"));
            PrintWriter stdout = spec.commandLine().getOut();
            FitResult result = Graft.fit(request, new ConsoleFitListener(stdout, verbose));
            Bundle.Loaded loaded = Bundle.load(result.bundle());
            try (SmallCnn cnn = (SmallCnn) Backbones.load(backbone, FitRequest.DEFAULT_MAX_LENGTH)) {
                cnn.loadTuned(loaded.backbone(), "pretrain");
                String source = data.toAbsolutePath() + " (" + (result.test() != null
                        ? String.format("test accuracy %.4f", result.test().accuracy()) : "no test split") + ")";
                ImageBackbones.save(cnn, out, source);
            }
            stdout.printf("pretrained %s on %s: %s; saved the backbone to %s (%.1f s)%n", backbone, data,
                    result.test() != null ? String.format("test accuracy %.4f, macro-F1 %.4f", result.test().accuracy(),
                            result.test().macroF1()) : "no test split",
                    out, (System.nanoTime() - start) / 1e9);
            stdout.printf("use it with: graft fit --backbone cnn:%s ...%n", out);
            stdout.flush();
            return 0;
        } finally {
            Directories.deleteRecursively(work);
        }
    }
}
