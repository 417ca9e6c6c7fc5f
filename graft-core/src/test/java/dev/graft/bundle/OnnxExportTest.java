package dev.graft.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.FitRequest;
import dev.graft.FitListener;
import dev.graft.Graft;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.train.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LoRA-tuned classifier exported to ONNX gives Graft's logits under ONNX Runtime alone. */
class OnnxExportTest {

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

    static final List<String> PROBES = List.of("Heavy snow is expected tonight, take a coat.",
            "I am cooking a curry with garlic and rice.", "windy", "Soup and bread for lunch tomorrow, rain later.");

    @Test
    void loraClassifierExportedToOnnxMatchesGraft() throws IOException {
        Path data = work.resolve("topics.csv");
        Random r = new Random(4);
        String[] weather = {"rain", "snow", "fog", "a storm", "sunshine"};
        String[] food = {"pasta", "soup", "a curry", "salad", "bread"};
        List<String> lines = new ArrayList<>(List.of("text,label"));
        for (int i = 0; i < 24; i++) {
            lines.add("\"Expect " + weather[r.nextInt(5)] + " on day " + i + ", the forecast says.\",weather");
            lines.add("\"We had " + food[r.nextInt(5)] + " for dinner on day " + i + ".\",food");
        }
        Files.write(data, lines);
        Path bundle = work.resolve("lora.graft");
        FitRequest request = FitRequest.of(data, bundle)
                .withBackbone("minilm", Strategy.parse("lora"), 32)
                .withTraining(TrainingOptions.defaults().withEpochs(1));
        Graft.fit(request, FitListener.NONE);

        Path export = work.resolve("onnx");
        float[][] graft;
        float[][] graftProbabilities;
        Path int8 = work.resolve("onnx-int8");
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            graft = classifier.logits(PROBES, Progress.NONE);
            graftProbabilities = classifier.probabilities(PROBES, Progress.NONE);
            classifier.exportOnnx(export);
            classifier.exportOnnx(int8, dev.graft.Precision.INT8);
            ExportCheck fp32Check = ExportCheck.of(classifier, export, dev.graft.data.TextLoader.load(data), Progress.NONE);
            ExportCheck int8Check = ExportCheck.of(classifier, int8, dev.graft.data.TextLoader.load(data), Progress.NONE);
            System.out.println("on the training rows: " + fp32Check + "; " + int8Check);
            assertThat(fp32Check.rows()).isEqualTo(int8Check.rows()).isPositive();
            assertThat(fp32Check.sameLabel()).isEqualTo(1.0);
            assertThat(fp32Check.exportAccuracy()).isEqualTo(fp32Check.bundleAccuracy());
            assertThat(fp32Check.maxProbabilityDifference()).isLessThan(1e-4);
            assertThat(int8Check.sameLabel()).isGreaterThan(0.9);
        }
        try (OnnxClassifier quantised = OnnxClassifier.load(int8)) {
            float[][] p = quantised.probabilities(PROBES);
            double max = 0;
            for (int i = 0; i < p.length; i++) {
                for (int k = 0; k < p[i].length; k++) {
                    max = Math.max(max, Math.abs(p[i][k] - graftProbabilities[i][k]));
                }
            }
            long fp32Bytes = java.nio.file.Files.size(export.resolve("model.onnx"));
            long int8Bytes = java.nio.file.Files.size(int8.resolve("model.onnx"));
            System.out.printf("int8 ONNX export: %,d bytes (fp32 %,d), max abs probability difference from the bundle %.4f%n",
                    int8Bytes, fp32Bytes, max);
            assertThat(int8Bytes).isLessThan(fp32Bytes * 3 / 10);
            assertThat(max).as("quantisation noise, not a different model").isLessThan(0.1);
        }
        assertThat(export.resolve("model.onnx")).isRegularFile();
        try (OnnxClassifier onnx = OnnxClassifier.load(export)) {
            assertThat(onnx.labels()).containsExactly("food", "weather");
            float[][] ort = onnx.logits(PROBES);
            double max = 0;
            for (int i = 0; i < graft.length; i++) {
                for (int k = 0; k < graft[i].length; k++) {
                    max = Math.max(max, Math.abs(graft[i][k] - ort[i][k]));
                }
            }
            System.out.printf("ONNX export of a LoRA classifier: max abs logit difference %.2e%n", max);
            assertThat(max).isLessThanOrEqualTo(1e-4);
            float[][] p = onnx.probabilities(PROBES);
            assertThat(p[0][0] + p[0][1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
