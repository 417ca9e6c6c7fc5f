package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bundle.Bundle;
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
 * serves, and {@code --resume} finishes the run from its checkpoint. {@code -Dkill.iterations=N}
 * runs more rounds (bench/kill-test.sh).
 */
class KillTest extends CacheIsolatedTest {

    static int graft(String... args) {
        return GraftCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx2g", "-Dgraft.cache=" + work.resolve("cache"), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), GraftCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
            Process fit = start(args);
            long delay = 500 + random.nextInt(9_000);
            boolean finished = fit.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!finished) {
                fit.destroyForcibly().waitFor();
            }
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
}
