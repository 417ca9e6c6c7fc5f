package dev.graft.cli;

import dev.graft.audit.Audit;
import dev.graft.audit.Auditor;
import dev.graft.backbone.Backbones;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft audit}: find label and data problems on frozen features before spending compute. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find suspect labels, duplicates, train/test overlap, outliers and truncated inputs, on cached frozen features.")
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Labelled data to audit: .csv, .tsv or .jsonl.")
    Path data;

    @Option(names = "--test", description = "A test file: checked for overlap with --data, and used to score the probe.")
    Path test;

    @Mixin
    TextInputOptions input;

    @Option(names = "--backbone", defaultValue = Backbones.DEFAULT, description = "Pretrained backbone. Default: ${DEFAULT-VALUE}.")
    String backbone;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncation length in tokens (8-512). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--folds", defaultValue = "5", description = "Folds of the out-of-fold linear probe. Default: ${DEFAULT-VALUE}.")
    int folds;

    @Option(names = "--near", defaultValue = "0.98", description = "Cosine of frozen features at which two different texts are near duplicates. Default: ${DEFAULT-VALUE}.")
    double near;

    @Option(names = "--top", defaultValue = "20", description = "Suspects to print. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--suspects", description = "Write every suspect to this file: .csv, or .jsonl.")
    Path suspects;

    @Option(names = "--json", description = "Also write the findings as JSON to this file.")
    Path json;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the folds. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (top < 0) {
            throw new dev.graft.GraftException("--top " + top + " must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Audit audit = Auditor.audit(new Auditor.Request(data, test, input.toLoadOptions(), backbone, maxLength, folds, near,
                seed), new ConsoleFitListener(out, false));
        out.println();
        out.println(audit.toText(top));
        if (suspects != null) {
            audit.writeSuspects(suspects);
            out.println("all suspects: " + suspects);
        }
        if (json != null) {
            Reports.writeJson(json, audit.toJsonMap());
        }
        out.flush();
        return 0;
    }
}
