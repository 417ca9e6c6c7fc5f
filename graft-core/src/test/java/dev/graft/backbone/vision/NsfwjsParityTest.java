package dev.graft.backbone.vision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.graft.GraftException;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.ModelStore;
import dev.graft.backbone.graph.GraphBackbone;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nsfwjs' MobileNetV2 and InceptionV3 as Graft fetches, converts, imports and runs them, against
 * TensorFlow.js running nsfwjs' own models (fixtures of scripts/nsfwjs-reference.sh): decoded
 * pixels, the image pipeline and the backbone, end to end.
 */
class NsfwjsParityTest {

    private static NsfwjsFixture fixture;

    @BeforeAll
    static void fetch() throws Exception {
        fixture = new NsfwjsFixture();
        ModelStore.fetch(TfjsBackbones.MOBILENETV2.id(), System.out::println);
        assertThat(ModelStore.isFetched(TfjsBackbones.MOBILENETV2.id())).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"mobilenetv2, 224", "mobilenetv2, 96", "inceptionv3, 299", "inceptionv3, 96"})
    void featuresMatchTensorFlowJs(String id, int size) throws Exception {
        NsfwjsFixture fixture = new NsfwjsFixture(TfjsBackbones.builtIn(id));
        float[][] reference = fixture.reference(size);
        int features = reference[0].length;
        try (GraphBackbone net = fixture.load(size)) {
            float[][] graft = net.extractFeatures(fixture.names());
            assertThat(graft.length).isEqualTo(reference.length);
            double max = 0;
            double largest = 0;
            for (int i = 0; i < graft.length; i++) {
                assertThat(graft[i]).hasSize(features);
                for (int d = 0; d < features; d++) {
                    max = Math.max(max, Math.abs(graft[i][d] - reference[i][d]));
                    largest = Math.max(largest, Math.abs(reference[i][d]));
                }
            }
            System.out.printf("%s at %d px: max abs difference to TensorFlow.js %.3g (largest feature %.3g)%n",
                    id, size, max, largest);
            // both sides run the same dequantised float32 weights, so the float32 bound applies
            assertThat(max).isLessThanOrEqualTo(1e-4);

            // a training-mode pass with the default (freeze) BatchNorm policy leaves the statistics alone
            Map<String, float[]> statistics = net.statistics();
            for (int g = 0; g < net.groupCount(); g++) {
                net.setTrainable(g, true);
            }
            try (NDManager scope = NDManager.newBaseManager()) {
                NDArray pixels = net.encoder().encode(fixture.names()).input(scope);
                net.forwardFrom(new ParameterStore(scope, false), pixels, null, 0, true);
            }
            statistics.forEach((name, values) -> assertThat(net.statistics().get(name)).as(name).isEqualTo(values));
            assertThat(net.extractFeatures(fixture.names())).isDeepEqualTo(graft);
        }
    }

    @Test
    void layerGroupsAndIds() {
        try (GraphBackbone net = fixture.load(64)) {
            // groups end where blocks of one width end: at the residual sums, and at the feature layer
            assertThat(net.layerGroups()).extracting(LayerGroup::name).containsExactly("block_2_add", "block_5_add",
                    "block_9_add", "block_12_add", "block_15_add", "out_relu");
            long total = net.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();
            // Keras MobileNetV2 (alpha 1.0, no top): 2,257,984 weights, of which 34,112 are running statistics
            assertThat(total).isEqualTo(2_257_984L - 34_112L);
            assertThat(net.parameters(0)).containsKeys("Conv1/kernel", "bn_Conv1/gamma", "expanded_conv_depthwise/depthwise_kernel",
                    "expanded_conv_project_BN/beta");
            assertThat(net.parameters(net.groupCount() - 1)).containsKeys("block_16_project/kernel", "Conv_1/kernel",
                    "Conv_1_bn/gamma", "Conv_1_bn/beta");
            assertThat(net.parameters(1)).containsKeys("block_3_expand/kernel", "block_5_project_BN/beta")
                    .doesNotContainKey("block_6_expand/kernel");
            assertThat(net.parameters(0).get("Conv1/kernel").getArray().getShape().getShape()).containsExactly(32, 3, 3, 3);
            assertThat(net.statistics()).hasSize(2 * 52);
            assertThat(net.id()).isEqualTo("mobilenetv2:64");
            assertThat(net.preprocessingKey()).contains("image:64:UNIT");
            assertThat(net.tokenCount("anything")).isEqualTo(1);
            assertThat(net.decays("block_3_expand/kernel")).isTrue();
            assertThat(net.decays("block_3_expand_BN/gamma")).isFalse();
        }
        assertThat(Backbones.ids()).contains("mobilenetv2", "mobilenetv2[:SIZE]", "smallcnn[:SIZE]", "cnn:DIR");
        try (Backbone b = Backbones.load("mobilenetv2:40", 128)) {
            assertThat(b).isInstanceOf(GraphBackbone.class);
            assertThat(((GraphBackbone) b).inputSize()).isEqualTo(40);
            assertThat(b.featureSize()).isEqualTo(1280);
        }
        try (Backbone b = Backbones.load("mobilenetv2", 128)) {
            assertThat(((GraphBackbone) b).inputSize()).isEqualTo(224);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backbones.load("mobilenetv2:16", 128))
                .isInstanceOf(GraftException.class).hasMessageContaining("from 32 to 512");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backbones.load("mobilenetv2:big", 128))
                .isInstanceOf(GraftException.class).hasMessageContaining("whole number of pixels");
        assertThat(ModelStore.ids()).contains("mobilenetv2");
    }

    @Test
    void inceptionV3GroupsEndAtItsMixedBlocks() throws Exception {
        try (GraphBackbone net = new NsfwjsFixture(TfjsBackbones.INCEPTIONV3).load(96)) {
            assertThat(net.layerGroups()).extracting(LayerGroup::name).containsExactly("max_pooling2d_2", "mixed0", "mixed2",
                    "mixed7", "mixed8", "mixed10");
            long total = net.layerGroups().stream().mapToLong(LayerGroup::parameters).sum();
            // Keras InceptionV3 (no top): 21,802,784 weights, of which 34,432 are running statistics
            assertThat(total).isEqualTo(21_802_784L - 34_432L);
            assertThat(net.featureSize()).isEqualTo(2048);
            assertThat(net.id()).isEqualTo("inceptionv3:96");
        }
        assertThat(Backbones.ids()).contains("inceptionv3", "inceptionv3[:SIZE]", "tfjs:DIR[#LAYER]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backbones.load("inceptionv3:60", 128))
                .isInstanceOf(GraftException.class).hasMessageContaining("from 75 to 512");
    }
}
