package dev.graft.cli;

import dev.graft.FitRequest;
import dev.graft.advise.Advice;
import dev.graft.advise.Advisor;
import dev.graft.backbone.Backbones;
import dev.graft.train.ClassWeighting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft advise}: measure the data against the backbone and recommend a strategy. */
@Command(name = "advise", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Profile the data, measure how close it is to the backbone's domain, recommend a strategy and estimate what each costs here.")
final class AdviseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Labelled training data: .csv, .tsv or .jsonl (texts, or image paths in an image field), or a folder of images with one subfolder per label.")
    Path data;

    @Option(names = "--validation", description = "Separate validation file (default: split 10%% from --data).")
    Path validation;

    @Option(names = "--test", description = "Separate test file (default: split 10%% from --data); only counted for the time estimates.")
    Path test;

    @Mixin
    TextInputOptions input;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncate texts to this many tokens (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--class-weights", defaultValue = "auto", description = "auto, balanced or none, as graft fit would use. Default: ${DEFAULT-VALUE}.")
    String classWeights;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split and the samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--quick", description = "Skip the short fine-tune and the timed steps (seconds instead of a minute or two; no estimates).")
    boolean quick;

    @Option(names = "--json", description = "Also write the advice as JSON to this file.")
    Path json;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        FitRequest request = FitRequest.of(data, Path.of("advice.graft"))
                .withHeldOut(validation, test)
                .withLoadOptions(input.toLoadOptions())
                .withBackbone(backbone, dev.graft.adapt.Strategy.featureExtraction(), maxLength)
                .withTraining(dev.graft.adapt.TrainingOptions.defaults().withSeed(seed))
                .withClassWeighting(ClassWeighting.parse(classWeights));
        PrintWriter out = spec.commandLine().getOut();
        Advice advice = Advisor.advise(request, quick ? new Advisor.Options(false, Advisor.TimedSteps.NEVER) : Advisor.Options.full(),
                new ConsoleFitListener(out, false));
        out.println();
        out.println(advice.toText());
        out.flush();
        if (json != null) {
            Reports.writeJson(json, advice.toJsonMap());
        }
        return 0;
    }
}
