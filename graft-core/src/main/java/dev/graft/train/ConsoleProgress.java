package dev.graft.train;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar with rate and ETA, on standard error. */
public final class ConsoleProgress implements Progress {

    private final PrintStream out;
    private final String unit;
    private ProgressBar bar;

    /**
     * @param out usually {@code System.err}
     * @param unit what a step is, e.g. {@code texts}
     */
    public ConsoleProgress(PrintStream out, String unit) {
        this.out = out;
        this.unit = unit;
    }

    @Override
    public void start(String task, long total) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
    }

    @Override
    public void advance(long steps) {
        bar.stepBy(steps);
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
