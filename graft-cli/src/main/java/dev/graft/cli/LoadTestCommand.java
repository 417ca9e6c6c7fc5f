package dev.graft.cli;

import dev.graft.GraftException;
import dev.graft.serve.LoadGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graft load-test}: closed-loop load against a running {@code graft serve}. */
@Command(name = "load-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send single-text predict requests from concurrent clients for a fixed time; print throughput and latency percentiles.")
final class LoadTestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server. Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--texts", required = true, description = "Texts to send, one per line (blank lines skipped), in turn.")
    Path texts;

    @Option(names = "--clients", defaultValue = "1,8,32", split = ",", description = "Concurrent clients; one run per value. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--seconds", defaultValue = "20", description = "Measured time of each run. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured load before each run, in seconds. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isRegularFile(texts)) {
            throw new GraftException(texts + " is not a file; give a text file with one input per line");
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(texts, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new GraftException(texts + " holds no text; give one input per line");
        }
        if (!(seconds > 0) || warmup < 0 || clients.stream().anyMatch(c -> c < 1)) {
            throw new GraftException("--seconds must be positive, --warmup not negative and every --clients value at least 1");
        }
        String endpoint = url.replaceAll("/+$", "") + "/v1/predict";
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%8s %10s %10s %10s %10s %10s %8s  %s%n", "clients", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "versions");
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int c : clients) {
            LoadGenerator.Result r = LoadGenerator.run(endpoint, lines, c, warmup, seconds);
            out.printf("%8d %10d %10.1f %10.1f %10.1f %10.1f %8d  %s%n", r.clients(), r.requests(), r.throughput(),
                    r.p50Millis(), r.p99Millis(), r.maxMillis(), r.errors(), r.versions());
            if (r.errors() > 0) {
                out.println("         statuses: " + r.statuses() + " (0 = no answer)");
            }
            out.flush();
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("clients", r.clients());
            run.put("seconds", r.seconds());
            run.put("requests", r.requests());
            run.put("errors", r.errors());
            run.put("throughput", r.throughput());
            run.put("p50_ms", r.p50Millis());
            run.put("p99_ms", r.p99Millis());
            run.put("max_ms", r.maxMillis());
            run.put("statuses", r.statuses());
            run.put("versions", r.versions());
            runs.add(run);
        }
        if (json != null) {
            Reports.writeJson(json, Map.of("url", endpoint, "runs", runs));
        }
        return 0;
    }
}
