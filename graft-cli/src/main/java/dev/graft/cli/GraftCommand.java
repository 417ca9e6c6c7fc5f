package dev.graft.cli;

import dev.graft.GraftException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code graft} command. */
@Command(name = "graft", mixinStandardHelpOptions = true, version = "graft " + dev.graft.Graft.VERSION,
        description = "Transfer learning and fine-tuning for the JVM.",
        subcommands = {FitCommand.class, AdviseCommand.class, AuditCommand.class, ModelsCommand.class, EvaluateCommand.class, PredictCommand.class, InspectCommand.class, ServeCommand.class, LoadTestCommand.class, CompareCommand.class, PretrainCommand.class,
                DatasetsCommand.class, ExportCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class GraftCommand implements Runnable {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A bug in Graft. */
    public static final int EXIT_INTERNAL = 1;
    /** Bad input the user can fix. */
    public static final int EXIT_USER = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command with the given streams (tests capture them).
     *
     * @param args command-line arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GraftCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose") || parseResult.originalArgs().contains("-v");
            if (ex instanceof GraftException graft) {
                err.println("graft: " + graft.messageNaming(Flags::of));
                if (verbose) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return EXIT_USER;
            }
            err.println("graft: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_INTERNAL;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            err.println("graft: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USER;
        });
        return cli.execute(args);
    }
}
