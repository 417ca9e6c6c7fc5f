package dev.graft.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.FitListener;
import dev.graft.GraftCache;
import dev.graft.GraftException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a {@link CompareWorker} in a new JVM with this one's class path and memory settings, and waits for it. */
final class WorkerProcess {

    private WorkerProcess() {}

    /**
     * @param request the run (stored as JSON for the worker)
     * @param prefix where the spec and outcome files go ({@code prefix.request.json}, {@code prefix.outcome.json})
     * @param listener receives the worker's progress lines
     * @return the worker's outcome
     * @throws GraftException when the worker fails or dies
     */
    private static String describe(java.time.Duration d) {
        long s = d.toSeconds();
        return s >= 3600 && s % 3600 == 0 ? s / 3600 + " h" : s >= 60 && s % 60 == 0 ? s / 60 + " min" : d.toMillis() / 1000.0 + " s";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(dev.graft.FitRequest request, Path prefix, java.time.Duration timeout, FitListener listener) {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Path specFile = prefix.resolveSibling(prefix.getFileName() + ".request.json");
        Path outcomeFile = prefix.resolveSibling(prefix.getFileName() + ".outcome.json");
        try {
            Files.deleteIfExists(outcomeFile);
            dev.graft.io.AtomicFiles.write(specFile, dev.graft.FitRequestJson.write(request).getBytes(StandardCharsets.UTF_8));
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-Xmx") || arg.startsWith("-Xss") || arg.startsWith("-Dai.djl") || arg.startsWith("-Dgraft.")) {
                    command.add(arg);
                }
            }
            if (System.getProperty("graft.cache") != null) {
                command.add("-Dgraft.cache=" + GraftCache.root());
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CompareWorker.class.getName());
            command.add(specFile.toString());
            command.add(outcomeFile.toString());
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread relay = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        listener.info("  " + line);
                    }
                } catch (IOException e) {
                    // the worker's output closed with it
                }
            }, "compare-worker-output");
            relay.setDaemon(true);
            relay.start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new GraftException(String.format("%s seed %d timed out after %s (worker stopped); give each run more "
                        + "time with a longer run timeout", request.strategy().name(), request.training().seed(), describe(timeout)));
            }
            relay.join(5000);
            int status = process.exitValue();
            Map<String, Object> outcome = Files.exists(outcomeFile) ? json.readValue(outcomeFile.toFile(), Map.class) : Map.of();
            if (status != 0 || outcome.containsKey("error") || !outcome.containsKey("test")) {
                throw new GraftException(String.format("%s seed %d failed (worker exit status %d%s)", request.strategy().name(), request.training().seed(),
                        status, outcome.containsKey("error") ? ": " + outcome.get("error") : status > 128 ? ", killed by signal " + (status - 128) : ""));
            }
            return outcome;
        } catch (IOException e) {
            throw new GraftException("cannot run " + request.strategy().name() + " seed " + request.training().seed() + " in a worker process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraftException("interrupted while " + request.strategy().name() + " seed " + request.training().seed() + " ran", e);
        }
    }
}
