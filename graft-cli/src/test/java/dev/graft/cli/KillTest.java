package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bundle.Bundle;
import dev.graft.bundle.BundleManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kills {@code graft fit} with SIGKILL at random moments (feature caching, head training,
 * fine-tuning epochs, checkpoint and bundle writes) and checks that nothing is lost: the bundle
 * already at {@code --out} still loads (or the new one does, whole), the feature cache still
 * serves, and {@code --resume} finishes the run from its checkpoint; then does the same to
 * {@code graft serve --data} and {@code graft compare}. {@code -Dkill.iterations=N} runs more rounds
 * of each (bench/kill-test.sh).
 */
class KillTest extends CacheIsolatedTest {

    static int graft(String... args) {
        return GraftCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    static Process start(String... args) throws IOException {
        return builder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx2g", "-Dgraft.cache=" + work.resolve("cache"), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), GraftCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Waits a random time, then SIGKILLs the process unless it ended first. @return the delay */
    static long killLater(Process process, Random random, int minMillis, int spanMillis) throws InterruptedException {
        long delay = minMillis + random.nextInt(spanMillis);
        if (!process.waitFor(delay, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return delay;
    }

    @Test
    void killedFitsLoseNothingAndResume() throws Exception {
        int iterations = Integer.getInteger("kill.iterations", 3);
        Random random = new Random(Long.getLong("kill.seed", 20261129L));
        Path data = GraftCommandTest.topicsIn(work, "kill.csv", 40, 13);
        Path good = work.resolve("good.graft");
        assertThat(graft("fit", "--data", data.toString(), "--strategy", "feature-extraction", "--max-length", "32",
                "--out", good.toString())).isZero();
        int resumed = 0;
        for (int i = 0; i < iterations; i++) {
            Path out = work.resolve("kill-" + i + ".graft");
            Files.copy(good, out, StandardCopyOption.REPLACE_EXISTING);
            String[] args = {"fit", "--data", data.toString(), "--strategy", "two-stage", "--epochs", "2", "--max-length", "32",
                "--seed", Integer.toString(i), "--out", out.toString()};
            if (i % 2 == 1) {
                Files.writeString(data, "\"A brand new line about the weather " + i + ".\",weather\n",
                        java.nio.file.StandardOpenOption.APPEND);
            }
            long delay = killLater(start(args), random, 500, 9_000);
            assertThat(Bundle.load(out).manifest().labels()).as("round %d (killed after %d ms): the bundle at --out loads", i, delay)
                    .containsExactly("food", "weather");
            Path checkpoint = work.resolve("kill-" + i + ".graft.checkpoint");
            if (Files.isDirectory(checkpoint)) {
                assertThat(graft("fit", "--resume", checkpoint.toString())).as("round %d: --resume finishes", i).isZero();
                assertThat(Bundle.load(out).manifest().plan().strategy()).isEqualTo("two-stage");
                resumed++;
            }
            assertThat(graft("fit", "--data", data.toString(), "--strategy", "feature-extraction", "--max-length", "32",
                    "--out", work.resolve("after-" + i + ".graft").toString())).as("round %d: the feature cache still serves", i)
                    .isZero();
        }
        System.out.printf("kill test: %d rounds, %d resumed from a checkpoint, 0 corrupt%n", iterations, resumed);
    }

    /**
     * A fit SIGKILLed once its first checkpoint is on disk, then resumed, ends where the same fit
     * run without a kill ends: the same epochs, validation losses and test metrics.
     */
    @Test
    void aFitKilledAfterACheckpointResumesToTheUninterruptedResult() throws Exception {
        Path data = GraftCommandTest.topicsIn(work, "resume.csv", 40, 17);
        Path test = GraftCommandTest.topicsIn(work, "resume-test.csv", 8, 18);
        java.util.function.Function<Path, String[]> fit = out -> new String[] {"fit", "--data", data.toString(),
            "--test", test.toString(), "--strategy", "two-stage", "--epochs", "3", "--max-length", "32", "--seed", "5",
            "--out", out.toString()};
        Path straight = work.resolve("straight.graft");
        assertThat(graft(fit.apply(straight))).isZero();

        Path killed = work.resolve("killed.graft");
        Path state = work.resolve("killed.graft.checkpoint").resolve("state.json");
        Process process = start(fit.apply(killed));
        while (!Files.exists(state) && process.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(process.isAlive()).as("the fit was still running when its first checkpoint appeared").isTrue();
        process.destroyForcibly().waitFor();
        assertThat(killed).doesNotExist();

        assertThat(graft("fit", "--resume", state.getParent().toString())).isZero();
        BundleManifest uninterrupted = Bundle.readManifest(straight);
        BundleManifest resumed = Bundle.readManifest(killed);
        assertThat(resumed.metrics()).isEqualTo(uninterrupted.metrics());
        assertThat(ReproducibilityTest.withoutTimes(resumed.training()))
                .isEqualTo(ReproducibilityTest.withoutTimes(uninterrupted.training()));
        assertThat(resumed.weights().sha256()).isEqualTo(uninterrupted.weights().sha256());
    }

    /**
     * Kills {@code graft serve --data} while it fits, serves, or fine-tunes in the background: every
     * bundle it wrote still loads, and a new server on the same work directory answers.
     */
    @Test
    void killedServeLosesNothingAndServesAgain() throws Exception {
        int iterations = Integer.getInteger("kill.iterations", 2);
        Random random = new Random(Long.getLong("kill.seed", 20261129L) + 1);
        Path data = GraftCommandTest.topicsIn(work, "serve-kill.csv", 30, 17);
        Path dir = work.resolve("serve-kill.serve");
        String[] serve = {"serve", "--data", data.toString(), "--work-dir", dir.toString(), "--port", "0", "--max-length", "32"};
        for (int i = 0; i < iterations; i++) {
            long delay = killLater(start(concat(serve, "--then", "two-stage:1", "--seed", Integer.toString(i))), random, 1_000, 14_000);
            assertBundlesLoad(dir, "round " + i + " (killed after " + delay + " ms)");
        }
        Process again = builder(concat(serve, "--then", "none")).redirectErrorStream(true).start();
        try {
            int port = readyPort(again);
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/predict"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"inputs\": [\"Rain and wind tomorrow.\"]}"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).containsAnyOf("\"weather\"", "\"food\"");
        } finally {
            again.destroyForcibly().waitFor();
        }
        assertBundlesLoad(dir, "after the restart");
        System.out.printf("kill test (serve --data): %d rounds, 0 corrupt, served again%n", iterations);
    }

    /**
     * Kills {@code graft compare} outright: its worker JVMs stop too instead of training on as
     * orphans, the JSON summary is absent or whole, and the comparison runs again to the end.
     */
    @Test
    void killedCompareLeavesNoOrphanAndRunsAgain() throws Exception {
        int iterations = Integer.getInteger("kill.iterations", 2);
        Random random = new Random(Long.getLong("kill.seed", 20261129L) + 2);
        Path data = GraftCommandTest.topicsIn(work, "compare-kill.csv", 30, 19);
        Path json = work.resolve("compare-kill.json");
        String[] compare = {"compare", "--data", data.toString(), "--strategies", "full,feature-extraction", "--seeds", "1",
            "--epochs", "3", "--no-advise", "--max-length", "32", "--work-dir", work.resolve("compare-kill.runs").toString(),
            "--json", json.toString()};
        for (int i = 0; i < iterations; i++) {
            Process run = start(compare);
            List<ProcessHandle> workers = new ArrayList<>();
            while (run.isAlive() && workers.isEmpty()) {
                run.descendants().filter(KillTest::isJava).forEach(workers::add);
                Thread.sleep(20);
            }
            long delay = random.nextInt(3_000);
            Thread.sleep(delay);
            run.descendants().filter(p -> isJava(p) && !workers.contains(p)).forEach(workers::add);
            run.destroyForcibly().waitFor();
            int running = (int) workers.stream().filter(ProcessHandle::isAlive).count();
            for (ProcessHandle worker : workers) {
                try {
                    worker.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    worker.destroyForcibly();
                    throw new AssertionError("round " + i + ": worker " + worker.pid() + " still trains 5 s after its comparison was killed");
                }
            }
            System.out.printf("compare killed %d ms into a run, %d worker(s) running, all stopped%n", delay, running);
            if (Files.exists(json)) {
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("summaries")).hasSize(2);
            }
        }
        assertThat(graft(compare)).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("summaries")).hasSize(2);
        System.out.printf("kill test (compare): %d rounds, 0 orphan workers, ran again to the end%n", iterations);
    }

    /** A run that outlives its timeout (a hung worker) is stopped and reported like a crash. */
    @Test
    void aRunPastItsTimeoutIsStoppedAndReportedLikeACrash() throws Exception {
        Path data = GraftCommandTest.topicsIn(work, "compare-timeout.csv", 30, 23);
        StringWriter err = new StringWriter();
        // no worker JVM loads a backbone and fits within a second: each run times out
        int status = GraftCommand.execute(new String[] {"compare", "--data", data.toString(), "--strategies",
            "feature-extraction", "--seeds", "1", "--no-advise", "--max-length", "32", "--run-timeout", "1s",
            "--work-dir", work.resolve("compare-timeout.runs").toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("every run failed: feature-extraction seed 42 timed out after 1.0 s (worker stopped)");
        assertThat(ProcessHandle.current().descendants().filter(p -> isJava(p) && p.isAlive())).as("worker JVMs left").isEmpty();
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("java")).orElse(false);
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static void assertBundlesLoad(Path dir, String when) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith("v")
                    && Files.exists(p.resolve("graft.json"))).toList()) {
                assertThat(Bundle.load(p).manifest().labels()).as("%s: %s loads", when, p.getFileName())
                        .containsExactly("food", "weather");
            }
        }
    }

    private static int readyPort(Process server) throws IOException {
        java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(server.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        java.util.regex.Pattern ready = java.util.regex.Pattern.compile("ready: .*http://127\\.0\\.0\\.1:(\\d+)/");
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            java.util.regex.Matcher m = ready.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the server was stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server ended before it was ready:\n" + seen);
    }
}
