package dev.graft.cli;

import dev.graft.train.Progress;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on standard error: a bar with rate and ETA on a terminal; in a log or a pipe, where a
 * bar would leave one carriage-return frame per update, a plain line at most every 10 % or 30 s.
 * {@code GRAFT_PROGRESS=bar|lines|none} overrides the choice.
 */
final class ConsoleProgress implements Progress {

    /** How progress is shown. */
    enum Mode { BAR, LINES, NONE }

    private static final long LINE_INTERVAL_NANOS = 30_000_000_000L;

    private final PrintStream out;
    private final String unit;
    private final Mode mode;
    private final LongSupplier clock;
    private ProgressBar bar;
    private String task;
    private long total;
    private long done;
    private long started;
    private long lastLine;
    private long lastTenth;

    /**
     * @param out usually {@code System.err}
     * @param unit what a step is, e.g. {@code texts}
     */
    ConsoleProgress(PrintStream out, String unit) {
        this(out, unit, defaultMode(), System::nanoTime);
    }

    ConsoleProgress(PrintStream out, String unit, Mode mode, LongSupplier clock) {
        this.out = out;
        this.unit = unit;
        this.mode = mode;
        this.clock = clock;
    }

    /** @return {@code GRAFT_PROGRESS} if set, else a bar on a terminal and lines elsewhere */
    static Mode defaultMode() {
        String chosen = System.getenv("GRAFT_PROGRESS");
        if (chosen != null && !chosen.isBlank()) {
            try {
                return Mode.valueOf(chosen.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Mode.LINES;
            }
        }
        return System.console() != null ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void start(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.started = clock.getAsLong();
        this.lastLine = started;
        this.lastTenth = 0;
        if (mode == Mode.BAR) {
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
    }

    @Override
    public void advance(long steps) {
        done += steps;
        if (mode == Mode.BAR) {
            bar.stepBy(steps);
        } else if (mode == Mode.LINES && done < total) {
            long now = clock.getAsLong();
            long tenth = total <= 0 ? 0 : done * 10 / total;
            if (tenth > lastTenth || now - lastLine >= LINE_INTERVAL_NANOS) {
                lastTenth = tenth;
                lastLine = now;
                double seconds = (now - started) / 1e9;
                double rate = seconds > 0 ? done / seconds : 0;
                out.printf(Locale.ROOT, "%s %3d%% %,d/%,d %s, %.1f %s/s, ETA %s%n", task, done * 100 / Math.max(1, total), done,
                        total, unit, rate, unit, rate > 0 ? Durations.clock((total - done) / rate) : "?");
                out.flush();
            }
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        } else if (mode == Mode.LINES && task != null) {
            double seconds = (clock.getAsLong() - started) / 1e9;
            out.printf(Locale.ROOT, "%s 100%% %,d %s in %s (%.1f %s/s)%n", task, done, unit, Durations.clock(seconds),
                    seconds > 0 ? done / seconds : 0, unit);
            out.flush();
        }
        task = null;
    }
}
