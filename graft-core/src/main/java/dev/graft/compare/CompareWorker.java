package dev.graft.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.FitListener;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.advise.PeakMemory;
import dev.graft.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one fit of a comparison in its own JVM, so that each run's time and peak memory are its
 * own and a crash in one run does not end the comparison. Reads a {@link dev.graft.FitRequest} as JSON, prints
 * progress lines on standard output, writes the outcome as JSON.
 */
public final class CompareWorker {

    private CompareWorker() {}

    /**
     * Runs one fit of a comparison and writes its outcome; started by {@link WorkerProcess}.
     *
     * @param args the request file (JSON) and the outcome file
     * @throws Exception if the run fails with anything but a {@link dev.graft.GraftException} (a bug); the JVM
     *     then exits with a non-zero status
     */
    public static void main(String[] args) throws Exception {
        exitWithParent();
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        dev.graft.FitRequest request = dev.graft.FitRequestJson.read(java.nio.file.Files.readString(Path.of(args[0])));
        Path outcome = Path.of(args[1]);
        try {
            PeakMemory.reset();
            long t0 = System.nanoTime();
            FitResult fit = Graft.fit(request, new FitListener() {
                @Override
                public void info(String line) {
                    System.out.println(line);
                }
            });
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("seconds", (System.nanoTime() - t0) / 1e9);
            result.put("peak_bytes", PeakMemory.peakBytes());
            result.put("trainable", fit.trainableParameters());
            result.put("total", fit.totalParameters());
            result.put("validation", fit.validation().toJsonMap());
            result.put("test", fit.test().toJsonMap());
            AtomicFiles.write(outcome, json.writeValueAsBytes(result));
            System.exit(0);
        } catch (GraftException e) {
            AtomicFiles.write(outcome, json.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
            System.exit(2);
        }
    }

    /**
     * A comparison killed outright (SIGKILL, an out-of-memory killer) cannot stop its worker; the
     * worker would train on, orphaned, for nobody. It stops as soon as its parent is gone.
     */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("graft compare worker: the comparison that started this run has ended; stopping");
            Runtime.getRuntime().halt(143);
        }));
    }
}
