package dev.graft.cli;

import dev.graft.FitListener;
import dev.graft.train.EpochRecord;
import dev.graft.train.Progress;
import java.io.PrintWriter;

/** Prints fit progress: status lines to stdout, progress bars to stderr, epochs under --verbose. */
final class ConsoleFitListener implements FitListener {

    private final PrintWriter out;
    private final boolean verbose;
    private final ConsoleProgress progress = new ConsoleProgress(System.err, "texts");

    ConsoleFitListener(PrintWriter out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void info(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public void epoch(EpochRecord e) {
        boolean backboneStage = e.stage() != null && !e.stage().equals("head");
        if (verbose || backboneStage || e.epoch() % 10 == 0 || e.epoch() == 1) {
            String validation = Double.isNaN(e.validationLoss()) ? "(refit on every row, no validation)"
                    : String.format("validation loss %.4f  accuracy %.4f  macro-F1 %.4f", e.validationLoss(),
                            e.validationAccuracy(), e.validationMacroF1());
            String skipped = e.skippedSteps() > 0 ? String.format("  %d non-finite steps skipped", e.skippedSteps()) : "";
            out.printf("epoch %4d  %s train loss %.4f  %s  lr %.2e  %.0f s%s%n",
                    e.epoch(), e.stage() == null ? "" : e.stage() + " ", e.trainLoss(), validation, e.learningRate(), e.seconds(),
                    skipped);
            out.flush();
        }
    }
}
