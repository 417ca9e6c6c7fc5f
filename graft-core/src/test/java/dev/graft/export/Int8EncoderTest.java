package dev.graft.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import dev.graft.Precision;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.MiniLm;
import dev.graft.backbone.onnx.OnnxRuntime;
import dev.graft.backbone.text.TextTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The int8 encoder computes MiniLM's features up to quantisation noise, from a smaller graph. */
class Int8EncoderTest {

    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "Stocks fell sharply on Monday.",
            "Free money!!! Click here to claim your prize", "The committee will meet again next week to discuss the budget.",
            "I love pasta with tomato sauce.", "Rain is expected over the weekend in the north.");

    @Test
    void int8FeaturesPointWhereFloat32FeaturesPoint() throws Exception {
        try (BertBackbone bert = MiniLm.load(64); OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            byte[] fp32 = BertOnnx.onnxRuntimeEncoder(bert);
            byte[] int8 = BertOnnx.onnxRuntimeEncoder(bert, Precision.INT8);
            System.out.printf("encoder graph: fp32 %,d bytes, int8 %,d bytes%n", fp32.length, int8.length);
            TextTokenizer.Batch batch = bert.tokenizer().encode(TEXTS);
            float[][] reference;
            float[][] quantised;
            try (OrtSession a = OnnxRuntime.session(fp32, options); OrtSession b = OnnxRuntime.session(int8, options)) {
                reference = OnnxRuntime.run(a, batch, "embedding");
                quantised = OnnxRuntime.run(b, batch, "embedding");
            }
            double worst = 1;
            for (int i = 0; i < TEXTS.size(); i++) {
                worst = Math.min(worst, cosine(reference[i], quantised[i]));
            }
            System.out.printf("int8 vs fp32 features: lowest cosine %.5f%n", worst);
            assertThat(worst).isGreaterThan(0.98);
            assertThat(int8.length).as("int8 weights and vocabulary").isLessThan(fp32.length * 3 / 10);
            double nearest = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                for (int j = 0; j < TEXTS.size(); j++) {
                    if (i != j) {
                        nearest = Math.max(nearest, cosine(reference[i], quantised[j]));
                    }
                }
            }
            assertThat(worst).as("each text stays nearest its own float32 features").isGreaterThan(nearest);
        }
    }

    @Test
    void quantisedColumnsRoundTripWithinHalfAStep() {
        float[] weight = {0.5f, -1f, 0.25f, 2f, -0.1f, 0f};
        Int8Weights q = Int8Weights.ofLinear(weight, 2, 3, 127);
        float[] back = q.dequantised();
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 3; k++) {
                assertThat(Math.abs(back[k * 2 + j] - weight[j * 3 + k])).isLessThanOrEqualTo(q.scales()[j] / 2 + 1e-7f);
            }
        }
        assertThat(q.scales()[0]).isEqualTo(1f / 127);
        assertThat(q.values()[1 * 2]).isEqualTo((byte) -127);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
