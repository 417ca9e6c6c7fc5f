package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.adapt.BatchNormPolicy;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.ModelStore;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.vision.TfjsBackbones;
import dev.graft.image.Augmentation;
import dev.graft.image.DecodedImage;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one training loop runs MobileNetV2 plans: tiny synthetic images (horizontal vs vertical stripes) at 32 px. */
class MobileNetV2FineTuneTest {

    private static final int SIZE = 32;

    private static DecodedImage stripes(int label, Random r) {
        byte[] pixels = new byte[24 * 24 * 3];
        int phase = r.nextInt(4);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                boolean on = (((label == 0 ? y : x) + phase) / 3) % 2 == 0;
                for (int c = 0; c < 3; c++) {
                    pixels[(y * 24 + x) * 3 + c] = (byte) (on ? 200 + r.nextInt(40) : r.nextInt(40));
                }
            }
        }
        return new DecodedImage(24, 24, 3, pixels);
    }

    /** 24 striped images, alternately of class 0 and 1, each referred to by its index. */
    private static ImageEncoder stripedImages() {
        Random r = new Random(3);
        List<DecodedImage> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(stripes(i % 2, r));
        }
        return new ImageEncoder(new ImagePipeline(SIZE, Normalisation.UNIT), ref -> images.get(Integer.parseInt(ref)),
                Augmentation.none());
    }

    private static List<String> references(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"partial:1", "lora"})
    void oneEpochTrainsTheTopWithoutMovingFrozenStatistics(String strategy) {
        ModelStore.fetch(TfjsBackbones.MOBILENETV2.id(), s -> {});
        ImageEncoder encoder = stripedImages();
        List<String> train = references(0, 16);
        List<String> validation = references(16, 24);
        try (GraphBackbone net = TfjsBackbones.load(TfjsBackbones.MOBILENETV2, "mobilenetv2:" + SIZE, encoder)) {
            Map<String, float[]> statistics = net.statistics();
            float[][] pooled = net.extractFeatures(train);
            FineTunePlan plan = Strategy.parse(strategy).plan(net, FineTunerTest.options(1));
            FineTuner tuner = new FineTuner(net, plan, HeadSpec.linear(), FeatureScaler.fit(pooled), 2, 5, null, null);
            FineTuner.Result result = tuner.run(new FineTuner.Examples(train, FineTunerTest.labels(16)),
                    new FineTuner.Examples(validation, FineTunerTest.labels(8)), null, null, new FineTuner.Listener() {});
            assertThat(result.bestEpoch()).isEqualTo(1);
            assertThat(Double.isFinite(result.bestValidationLoss())).isTrue();
            if (strategy.equals("lora")) {
                assertThat(result.tunedBackbone().keySet()).anyMatch(k -> k.endsWith("/lora_B"));
            } else {
                assertThat(result.tunedBackbone().keySet()).contains("Conv_1/kernel", "block_16_project/kernel")
                        .noneMatch(k -> k.startsWith("block_15"));
            }
            statistics.forEach((name, v) -> assertThat(net.statistics().get(name)).as(name).isEqualTo(v));
        }
    }

    record Run(FineTuner.Result result, Map<String, float[]> statistics) {}

    private static Run trainTopWithBatchStatistics(Path checkpoints, boolean killInEpoch2) {
        ModelStore.fetch(TfjsBackbones.MOBILENETV2.id(), s -> {});
        ImageEncoder encoder = stripedImages();
        List<String> train = references(0, 16);
        List<String> validation = references(16, 24);
        try (GraphBackbone net = TfjsBackbones.load(TfjsBackbones.MOBILENETV2, "mobilenetv2:" + SIZE, encoder)) {
            float[][] pooled = net.extractFeatures(train);
            FineTunePlan plan = Strategy.parse("partial:1").plan(net, FineTunerTest.options(3)).withBatchNorm(BatchNormPolicy.TRAIN);
            FineTuner tuner = new FineTuner(net, plan, HeadSpec.linear(), FeatureScaler.fit(pooled), 2, 5, checkpoints,
                    null);
            FineTuner.Result result = tuner.run(new FineTuner.Examples(train, FineTunerTest.labels(16)),
                    new FineTuner.Examples(validation, FineTunerTest.labels(8)), null, null, new FineTuner.Listener() {
                        @Override
                        public void epoch(EpochRecord epoch) {
                            if (killInEpoch2 && epoch.epoch() == 2) {
                                throw new IllegalStateException("killed");
                            }
                        }
                    });
            return new Run(result, net.statistics());
        }
    }

    /** Running statistics are not parameters here: the checkpoint must carry them for the resume to match. */
    @Test
    void anInterruptedRunThatTrainsStatisticsResumesToTheSameEnd(@TempDir Path dir) {
        Run straight = trainTopWithBatchStatistics(null, false);
        assertThatThrownBy(() -> trainTopWithBatchStatistics(dir.resolve("ckpt"), true)).hasMessage("killed");
        Run resumed = trainTopWithBatchStatistics(dir.resolve("ckpt"), false);
        assertThat(resumed.result().history()).hasSameSizeAs(straight.result().history());
        for (int i = 0; i < straight.result().history().size(); i++) {
            assertThat(resumed.result().history().get(i).validationLoss())
                    .isEqualTo(straight.result().history().get(i).validationLoss());
        }
        assertThat(resumed.result().tunedBackbone()).containsOnlyKeys(straight.result().tunedBackbone().keySet());
        assertThat(straight.result().tunedBackbone()).containsKey("Conv_1_bn/moving_mean");
        straight.result().tunedBackbone().forEach((name, values) ->
                assertThat(resumed.result().tunedBackbone().get(name)).as(name).isEqualTo(values));
        straight.statistics().forEach((name, values) -> assertThat(resumed.statistics().get(name)).as(name).isEqualTo(values));
    }
}
