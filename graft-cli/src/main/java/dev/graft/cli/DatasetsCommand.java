package dev.graft.cli;

import dev.graft.datasets.DatasetInfo;
import dev.graft.datasets.Datasets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft datasets}: public datasets packaged for Graft. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List and fetch public datasets into the Graft cache.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.FetchDataset.class})
final class DatasetsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the datasets Graft can fetch.")
    static final class ListDatasets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (DatasetInfo d : Datasets.list()) {
                out.printf("%-16s %s%n", d.name(), d.description());
                out.printf("%-16s source %s · licence %s · %s%n", "", d.source(), d.licence(),
                        d.fetched() ? "fetched: " + d.path() : "not fetched (graft datasets fetch " + d.name() + ")");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true, description = "Fetch a dataset into the cache and print its path.")
    static final class FetchDataset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Dataset name, see graft datasets list.")
        String name;

        @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
        boolean verbose;

        @Override
        public Integer call() {
            Path path = Datasets.fetch(name, line -> System.err.println(line));
            spec.commandLine().getOut().println(path);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
