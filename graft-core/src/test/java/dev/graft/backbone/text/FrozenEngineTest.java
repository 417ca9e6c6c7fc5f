package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime computes a frozen encoder's features from the weights it holds at the time: equal to
 * PyTorch's before and after tuned weights are loaded, and never while a weight can train.
 */
class FrozenEngineTest {

    private static final String TUNED = "encoder.layer.5.output.dense.weight";

    @Test
    void onnxRuntimeFollowsTheWeights() {
        List<String> texts = MiniLmParityTest.sentences();
        try (BertBackbone onnx = MiniLm.load(128); BertBackbone torch = MiniLm.load(128)) {
            onnx.useFrozenEngine(FrozenEngine.ONNX_RUNTIME);
            torch.useFrozenEngine(FrozenEngine.PYTORCH);
            assertThat(onnx.featureEngine()).isEqualTo(FrozenEngine.ONNX_RUNTIME);
            assertThat(torch.featureEngine()).isEqualTo(FrozenEngine.PYTORCH);
            float[][] pretrained = onnx.extractFeatures(texts);
            assertThat(maxDifference(pretrained, torch.extractFeatures(texts))).isLessThan(1e-5);

            float[] tuned = onnx.weights().get(TUNED);
            for (int i = 0; i < tuned.length; i++) {
                tuned[i] *= 1.5f;
            }
            onnx.loadTuned(Map.of(TUNED, tuned), "tuned");
            torch.loadTuned(Map.of(TUNED, tuned), "tuned");
            float[][] after = onnx.extractFeatures(texts);
            assertThat(maxDifference(after, pretrained)).as("the tuned weights are used").isGreaterThan(1e-3);
            assertThat(maxDifference(after, torch.extractFeatures(texts))).isLessThan(1e-5);

            onnx.setTrainable(6, true);
            assertThat(onnx.featureEngine()).as("a trainable block runs on PyTorch").isEqualTo(FrozenEngine.PYTORCH);
            assertThat(maxDifference(onnx.extractFeatures(texts), after)).isLessThan(1e-5);
            onnx.setTrainable(6, false);
            assertThat(onnx.featureEngine()).isEqualTo(FrozenEngine.ONNX_RUNTIME);
        }
    }

    @Test
    void autoMovesToOnnxRuntimeAfterAFewHundredTexts() {
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < FrozenEngine.AUTO_AFTER_TEXTS + 32; i++) {
            texts.add("text number " + i + " about " + (i % 2 == 0 ? "rain" : "pasta"));
        }
        try (BertBackbone auto = MiniLm.load(32); BertBackbone torch = MiniLm.load(32)) {
            auto.useFrozenEngine(FrozenEngine.AUTO);
            torch.useFrozenEngine(FrozenEngine.PYTORCH);
            float[][] expected = torch.extractFeatures(texts);
            int done = 0;
            for (int from = 0; from < texts.size(); from += 32) {
                FrozenEngine engine = auto.featureEngine();
                assertThat(engine).as("after %d texts", done)
                        .isEqualTo(done + 1 > FrozenEngine.AUTO_AFTER_TEXTS ? FrozenEngine.ONNX_RUNTIME : FrozenEngine.PYTORCH);
                float[][] got = auto.extractFeatures(texts.subList(from, from + 32));
                assertThat(maxDifference(got, java.util.Arrays.copyOfRange(expected, from, from + 32))).isLessThan(1e-5);
                done += 32;
            }
            assertThat(auto.featureEngine()).isEqualTo(FrozenEngine.ONNX_RUNTIME);
        }
    }

    @Test
    void anUnknownEngineIsOneClearError() {
        System.setProperty(FrozenEngine.PROPERTY, "tensorflow");
        try {
            assertThatThrownBy(FrozenEngine::configured).isInstanceOf(GraftException.class)
                    .hasMessageContaining("tensorflow").hasMessageContaining("auto, onnxruntime or pytorch");
            System.setProperty(FrozenEngine.PROPERTY, " PyTorch ");
            assertThat(FrozenEngine.configured()).isEqualTo(FrozenEngine.PYTORCH);
        } finally {
            System.clearProperty(FrozenEngine.PROPERTY);
        }
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int d = 0; d < a[i].length; d++) {
                max = Math.max(max, Math.abs(a[i][d] - b[i][d]));
            }
        }
        return max;
    }
}
