package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdapterTest {

    static final List<String> TEXTS = List.of("A short one.", "Heavy snow and wind are expected tonight in the hills.",
            "Slow-cooked lamb curry with rice", "Meeting moved to 3pm, the projector is broken again.");

    static double maxDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return d;
    }

    static long count(Map<String, Parameter> params) {
        return params.values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
    }

    @Test
    void untrainedLoraLeavesTheModelExactlyAsPretrained() {
        try (BertBackbone backbone = MiniLm.load(64)) {
            backbone.useFrozenEngine(FrozenEngine.PYTORCH); // exactly: the same engine before and after
            float[][] before = backbone.extractFeatures(TEXTS);
            Map<String, Parameter> adapters = backbone.attachAdapters(AdapterSpec.lora(), 1);
            assertThat(adapters).hasSize(6 * 4 * 2);
            assertThat(count(adapters)).isEqualTo(147_456).isEqualTo(backbone.adapterParameterCount(AdapterSpec.lora()));
            assertThat(maxDiff(before, backbone.extractFeatures(TEXTS))).isZero();
        }
    }

    @Test
    void mergedLoraPredictsLikeUnmerged() {
        try (BertBackbone backbone = MiniLm.load(64)) {
            AdapterSpec allLinear = new AdapterSpec("lora", 4, 8, 0, AdapterSpec.ALL_LINEAR, true, 0, 3, 1);
            Map<String, Parameter> adapters = backbone.attachAdapters(allLinear, 2);
            assertThat(count(adapters)).isEqualTo(backbone.adapterParameterCount(allLinear));
            Random r = new Random(3);
            for (Map.Entry<String, Parameter> e : adapters.entrySet()) {
                if (e.getKey().contains("lora_B")) {
                    float[] values = new float[(int) e.getValue().getArray().getShape().size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (r.nextGaussian() * 0.05);
                    }
                    e.getValue().getArray().set(values);
                }
            }
            float[][] pretrained;
            try (BertBackbone plain = MiniLm.load(64)) {
                pretrained = plain.extractFeatures(TEXTS);
            }
            float[][] unmerged = backbone.extractFeatures(TEXTS);
            assertThat(maxDiff(pretrained, unmerged)).isGreaterThan(1e-3);
            Map<String, float[]> merged = backbone.mergeAdapters();
            assertThat(merged).hasSize(3 * 6).containsKey("encoder.layer.5.intermediate.dense.weight")
                    .doesNotContainKey("encoder.layer.2.output.dense.weight");
            assertThat(backbone.adapterParameters()).isEmpty();
            double diff = maxDiff(unmerged, backbone.extractFeatures(TEXTS));
            System.out.printf("LoRA merge: max abs difference %.2e%n", diff);
            assertThat(diff).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void prefixTokensNeverSeePaddingAndCountExactly() {
        try (BertBackbone backbone = MiniLm.load(64)) {
            Map<String, Parameter> adapters = backbone.attachAdapters(AdapterSpec.prefix(), 4);
            assertThat(count(adapters)).isEqualTo(6L * 2 * 10 * 384).isEqualTo(backbone.adapterParameterCount(AdapterSpec.prefix()));
            float[][] together = backbone.extractFeatures(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[][] alone = backbone.extractFeatures(List.of(TEXTS.get(i)));
                assertThat(maxDiff(new float[][] {together[i]}, alone)).isLessThanOrEqualTo(1e-5);
            }
            assertThatThrownBy(backbone::mergeAdapters).isInstanceOf(GraftException.class).hasMessageContaining("prefix");
        }
    }
}
