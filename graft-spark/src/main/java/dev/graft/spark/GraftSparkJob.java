package dev.graft.spark;

import dev.graft.GraftException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the graft-spark job jar, for {@code spark-submit --class dev.graft.spark.GraftSparkJob}
 * (or {@code java -cp} with Spark on the class path, which runs on {@code local[*]}).
 */
@Command(name = "graft-spark", mixinStandardHelpOptions = true, version = dev.graft.Graft.VERSION,
        description = "Graft on Apache Spark: distributed feature extraction, MLlib heads, batch prediction.",
        subcommands = {FeaturesJob.class, TrainHeadJob.class, PredictJob.class, BenchJob.class})
public final class GraftSparkJob implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs a graft-spark job from the command line.
     *
     * @param args a job name and its options, see {@code --help}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /** {@return the exit status: 0 done, 2 bad input (one line on {@code err}), 1 anything else} */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GraftSparkJob()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            GraftException cause = graftCause(e);
            if (cause != null) {
                err.println("graft-spark: " + cause.messageNaming(SparkFlags::of));
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("graft-spark: " + e.getMessage() + " (see " + e.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        return cli.execute(args);
    }

    /** Spark wraps an executor's exception in its own; the first GraftException in the chain says what is wrong. */
    static GraftException graftCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GraftException g) {
                return g;
            }
        }
        return null;
    }
}
