package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.bundle.BundleClassifier;
import dev.graft.train.EpochRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API: fit from examples in memory, predict, save, load back. */
class ClassifierBuilderTest {

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

    static List<Example> topics(int perClass, long seed) {
        Random r = new Random(seed);
        String[] weather = {"rain", "snow", "fog", "a storm", "sunshine"};
        String[] food = {"pasta", "soup", "a curry", "salad", "bread"};
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            out.add(Example.text("Expect " + weather[r.nextInt(5)] + " on day " + i + ", the forecast says.", "weather"));
            out.add(Example.text("We had " + food[r.nextInt(5)] + " for dinner on day " + i + ".", "food"));
        }
        return out;
    }

    @Test
    void examplesInMemoryFitAClassifierThatSavesAndLoadsBackUnchanged() {
        List<String> lines = new ArrayList<>();
        Path saved = work.resolve("topics.graft");
        float[][] before;
        Path temporary;
        try (BundleClassifier topics = Graft.textClassifier().strategy("feature-extraction").onInfo(lines::add)
                .fit(topics(20, 1))) {
            assertThat(topics.labels()).containsExactly("food", "weather");
            assertThat(topics.predict("Heavy snow and strong wind tonight.").label()).isEqualTo("weather");
            assertThat(topics.predict(List.of("A bowl of soup with bread.", "Fog in the morning.")))
                    .extracting(Prediction::label).containsExactly("food", "weather");
            assertThat(topics.top(List.of("pasta"), 2).get(0)).hasSize(2);
            assertThat(topics.info().format()).isEqualTo("bundle");
            assertThat(topics.info().strategy()).isEqualTo("feature-extraction");
            assertThat(topics.info().metrics()).containsKey("validation");
            before = topics.probabilities(List.of("Soup for lunch, rain later."));
            assertThat(topics.save(saved)).isRegularFile();
            temporary = topics.path().getParent();
            assertThat(temporary).isDirectory();
        }
        assertThat(temporary).doesNotExist();
        assertThat(lines).anyMatch(l -> l.startsWith("data: in-memory · train"));
        try (Classifier loaded = Graft.load(saved)) {
            assertThat(loaded.probabilities(List.of("Soup for lunch, rain later."))).isDeepEqualTo(before);
        }
    }

    @Test
    void int8FeaturesFitABundleThatKeepsItsPrecisionAndAgreesWithFloat32() {
        Path int8 = work.resolve("int8.graft");
        List<String> probes = List.of("Heavy snow and strong wind tonight.", "A bowl of soup with bread.", "Fog in the morning.");
        try (Classifier fitted = Graft.textClassifier().strategy("feature-extraction").precision(Precision.INT8).maxLength(32)
                .saveTo(int8).fit(topics(20, 1))) {
            assertThat(fitted.predict(probes)).extracting(Prediction::label).containsExactly("weather", "food", "weather");
        }
        try (BundleClassifier loaded = BundleClassifier.load(int8, null)) {
            assertThat(loaded.precision()).as("the bundle records its precision").isEqualTo(Precision.INT8);
            assertThat(loaded.manifest().backbone().preprocessing()).contains("precision=int8");
            float[][] quantised = loaded.probabilities(probes);
            loaded.usePrecision(Precision.FP32);
            float[][] exact = loaded.probabilities(probes);
            for (int i = 0; i < probes.size(); i++) {
                assertThat(Math.abs(quantised[i][0] - exact[i][0])).as(probes.get(i)).isLessThan(0.15f);
            }
        }
        assertThatThrownBy(() -> Graft.textClassifier().strategy("partial:1").precision(Precision.INT8).maxLength(32)
                .epochs(1).fit(topics(8, 2))).isInstanceOf(GraftException.class)
                .hasMessageContaining("precision int8 applies to frozen features");
    }

    @Test
    void aFineTuneWithAValidationSetReportsItsEpochsAndKeepsTheBundleWhereAsked() {
        List<EpochRecord> epochs = new ArrayList<>();
        Path out = work.resolve("partial");
        try (Classifier tuned = Graft.textClassifier().strategy("partial:1").maxLength(32).epochs(1).seed(7)
                .onEpoch(epochs::add).saveTo(out).fit(topics(12, 2), topics(4, 3))) {
            assertThat(tuned.info().strategy()).isEqualTo("partial:1");
            assertThat(tuned.predict("Expect snow on day 30, the forecast says.").label()).isEqualTo("weather");
        }
        assertThat(epochs).isNotEmpty();
        assertThat(out.resolve("graft.json")).isRegularFile();
    }

    @Test
    void withoutAStrategyTheBuilderRunsAutoOnTheDataItLoadedOnce() {
        List<String> lines = new ArrayList<>();
        try (Classifier auto = Graft.textClassifier().maxLength(32).epochs(1).onInfo(lines::add).fit(topics(16, 4))) {
            assertThat(auto.predict("Expect rain on day 50, the forecast says.").label()).isEqualTo("weather");
        }
        assertThat(lines).anyMatch(l -> l.startsWith("auto: step 1, feature-extraction"));
        assertThat(lines).anyMatch(l -> l.startsWith("auto: stopped"));
        assertThat(lines.stream().filter(l -> l.startsWith("data: in-memory"))).as("one data line per step").isNotEmpty();
    }

    @Test
    void emptyOrUnlabelledInputIsRefusedWithOneLine() {
        assertThatThrownBy(() -> Graft.textClassifier().fit(List.of())).isInstanceOf(GraftException.class)
                .hasMessageContaining("no examples");
        assertThatThrownBy(() -> Example.text("hello", " ")).isInstanceOf(GraftException.class)
                .hasMessageContaining("non-blank label");
        assertThatThrownBy(() -> Graft.load(work.resolve("absent"))).isInstanceOf(GraftException.class);
    }
}
