package dev.graft.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.AutoFit;
import dev.graft.FitRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background runs on real MiniLM features of a tiny generated data set. */
class BackgroundImproverTest {

    @TempDir
    static Path work;

    @BeforeAll
    static void isolateCache() {
        System.setProperty("graft.cache", work.resolve("cache").toString());
    }

    @AfterAll
    static void restoreCache() {
        System.clearProperty("graft.cache");
    }

    private static Path topics() throws IOException {
        Random r = new Random(5);
        String[] weather = {"rain", "sunshine", "snow", "a storm", "fog", "wind"};
        String[] food = {"pasta", "soup", "bread", "a curry", "salad", "rice"};
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 20; i++) {
            lines.add("\"The forecast says " + weather[r.nextInt(weather.length)] + " on day " + i + ".\",weather");
            lines.add("\"I am cooking " + food[r.nextInt(food.length)] + " on day " + i + ".\",food");
        }
        Path file = work.resolve("topics.csv");
        Files.write(file, lines);
        return file;
    }

    private static ServeSettings settings() {
        return ServeSettings.defaults().withPort(0);
    }

    @Test
    void aBetterModelIsSwappedInAndServed() throws Exception {
        Path data = topics();
        List<String> log = new CopyOnWriteArrayList<>();
        FakeModels.Recorder weak = new FakeModels.Recorder();
        try (GraftServer server = new GraftServer(settings(), new ModelSlot(weak.model("v1", 0.2)), log::add)) {
            BackgroundImprover improver = new BackgroundImprover(server, FitRequest.of(data, null), "feature-extraction",
                    AutoFit.Options.defaults(), work.resolve("better"), "djl", log::add);
            improver.run();
            assertThat(improver.status().get("state")).isEqualTo("swapped");
            assertThat((double) improver.status().get("validation_macro_f1")).isGreaterThan(0.2);
            assertThat(server.slot().current().version()).isEqualTo("v2");
            assertThat(weak.closed).isTrue();
            MicroBatcher.Scored scored;
            try (MicroBatcher batcher = new MicroBatcher(server.slot(), settings(), new ServerMetrics())) {
                scored = batcher.submit(List.of("The forecast says thunder tonight.")).get();
            }
            assertThat(scored.version()).isEqualTo("v2");
            assertThat(scored.labels()).containsExactly("food", "weather");
            assertThat(scored.probabilities()[0][1]).isGreaterThan(0.5f);
            assertThat(log).anyMatch(l -> l.contains("swapped model v1 → v2") && l.contains("vs served 0.2000"));
        }
    }

    @Test
    void aModelThatIsNotBetterOrAFailedRunNeverReplacesTheServedOne() throws Exception {
        Path data = topics();
        List<String> log = new CopyOnWriteArrayList<>();
        FakeModels.Recorder perfect = new FakeModels.Recorder();
        try (GraftServer server = new GraftServer(settings(), new ModelSlot(perfect.model("v1", 1.0)), log::add)) {
            BackgroundImprover same = new BackgroundImprover(server, FitRequest.of(data, null), "feature-extraction",
                    AutoFit.Options.defaults(), work.resolve("same"), "djl", log::add);
            same.run();
            assertThat(same.status().get("state")).isEqualTo("not better");
            BackgroundImprover broken = new BackgroundImprover(server, FitRequest.of(work.resolve("gone.csv"), null),
                    "feature-extraction", AutoFit.Options.defaults(), work.resolve("broken"), "djl", log::add);
            broken.run();
            assertThat(broken.status().get("state")).isEqualTo("failed");
            assertThat(server.slot().current().version()).isEqualTo("v1");
            assertThat(perfect.closed).isFalse();
            assertThat(log).anyMatch(l -> l.contains("kept model v1, the new one is not better"))
                    .anyMatch(l -> l.contains("fine-tuning failed, the served model stays") && l.contains("gone.csv"));
        }
    }

    @Test
    void anErrorInTheBackgroundRunIsLoggedMarksTheRunFailedAndTheServedModelKeepsServing() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        FakeModels.Recorder served = new FakeModels.Recorder();
        try (GraftServer server = new GraftServer(settings(), new ModelSlot(served.model("v1", 0.5)), log::add)) {
            BackgroundImprover improver = new BackgroundImprover(server, "two-stage:2", (listener, status) -> {
                throw new OutOfMemoryError("test: Java heap space");
            }, work.resolve("oom"), "djl", log::add);
            improver.run();
            assertThat(improver.status().get("state")).isEqualTo("failed");
            assertThat(improver.status().get("error")).isEqualTo("test: Java heap space");
            assertThat(log).anyMatch(l -> l.startsWith("background: fine-tuning failed, the served model stays: "
                    + "java.lang.OutOfMemoryError: test: Java heap space") && l.contains("\tat "));
            assertThat(server.slot().current().version()).isEqualTo("v1");
            assertThat(served.closed).isFalse();
            try (MicroBatcher batcher = new MicroBatcher(server.slot(), settings(), new ServerMetrics())) {
                assertThat(batcher.submit(List.of("still served")).get(10, java.util.concurrent.TimeUnit.SECONDS).version())
                        .isEqualTo("v1");
            }
        }
    }
}
