package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.adapt.BatchNormPolicy;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.vision.SmallCnn;
import dev.graft.image.Augmentation;
import dev.graft.image.DecodedImage;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An image fine-tune with augmentation, killed mid-stage and resumed from its checkpoint, ends
 * with exactly the weights, BatchNorm statistics and history of the run that was never stopped.
 */
class ImageResumeTest {

    private static final int SIZE = 12;
    private static final int EPOCHS_PER_STAGE = 3;

    /** Class 0 is bright on top, class 1 bright below, with noise: learnable, not trivially. */
    static DecodedImage image(String reference) {
        int index = Integer.parseInt(reference.substring(reference.indexOf('-') + 1, reference.lastIndexOf('-')));
        int label = Integer.parseInt(reference.substring(reference.lastIndexOf('-') + 1));
        Random random = new Random(index);
        byte[] pixels = new byte[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            boolean bright = (y < SIZE / 2) == (label == 0);
            for (int i = 0; i < SIZE * 3; i++) {
                int value = (bright ? 170 : 80) + (int) (random.nextGaussian() * 40);
                pixels[y * SIZE * 3 + i] = (byte) Math.max(0, Math.min(255, value));
            }
        }
        return new DecodedImage(SIZE, SIZE, 3, pixels);
    }

    static List<String> references(int n, int offset) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("img-" + (offset + i) + "-" + (i % 2));
        }
        return out;
    }

    record Run(FineTuner.Result result, Map<String, float[]> weights, Map<Integer, Map<String, float[]>> statisticsByEpoch) {}

    /** The fine-tune every test runs and kills: {@code strategy} with the BatchNorm {@code policy}. */
    record Setup(String strategy, BatchNormPolicy policy, Augmentation augmentation, boolean pooledFeatures) {}

    static Run fineTune(Setup setup, Path checkpoints, Integer killAt, List<String> info) {
        ImageEncoder encoder = new ImageEncoder(new ImagePipeline(SIZE, Normalisation.SIGNED), ImageResumeTest::image,
                setup.augmentation());
        try (SmallCnn backbone = new SmallCnn("smallcnn:" + SIZE, encoder, null)) {
            List<String> train = references(16, 0);
            List<String> validation = references(8, 100);
            TrainingOptions options = TrainingOptions.defaults().toBuilder().learningRate(1e-2).discriminative(0.5, 2, 1.0)
                    .headStage(EPOCHS_PER_STAGE, 10).epochs(EPOCHS_PER_STAGE).patience(10).batchSize(4).backboneDropout(0.1).build();
            FineTunePlan plan = Strategy.parse(setup.strategy()).plan(backbone, options).withBatchNorm(setup.policy());
            float[][] pooledTrain = backbone.extractFeatures(train);
            float[][] pooledValidation = backbone.extractFeatures(validation);
            FineTuner tuner = new FineTuner(backbone, plan, HeadSpec.linear(), FeatureScaler.fit(pooledTrain), 2, 7,
                    checkpoints, null);
            Map<Integer, Map<String, float[]>> statistics = new LinkedHashMap<>();
            FineTuner.Result result = tuner.run(new FineTuner.Examples(train, FineTunerTest.labels(16)),
                    new FineTuner.Examples(validation, FineTunerTest.labels(8)), setup.pooledFeatures() ? pooledTrain : null,
                    setup.pooledFeatures() ? pooledValidation : null, new FineTuner.Listener() {
                        @Override
                        public void info(String line) {
                            info.add(line);
                        }

                        @Override
                        public void epoch(EpochRecord epoch) {
                            if (killAt != null && epoch.epoch() == killAt) {
                                throw new IllegalStateException("killed");
                            }
                            statistics.put(epoch.epoch(), backbone.statistics());
                        }
                    });
            return new Run(result, backbone.weights(), statistics);
        }
    }

    /**
     * Two-stage unfreezing only {@code conv3}: the running statistics of {@code conv1} and
     * {@code conv2} are then in no checkpointed parameter, yet recalibration changes them.
     */
    @ParameterizedTest
    @EnumSource(value = BatchNormPolicy.class, names = {"INFERENCE", "RECALIBRATE", "TRAIN"})
    void anInterruptedImageRunWithAugmentationResumesToTheSameEnd(BatchNormPolicy policy, @TempDir Path dir) {
        assertResumesToTheSameEnd(new Setup("two-stage:1", policy, Augmentation.parse("crop=0.7,flip,rotate=15,jitter=0.2"),
                false), 2 * EPOCHS_PER_STAGE, EPOCHS_PER_STAGE + 2, dir);
    }

    /**
     * Without augmentation the head trains on cached features: after a resume they must come from
     * the recalibrated backbone, as they did before, not from the pretrained features passed in.
     */
    @org.junit.jupiter.api.Test
    void aResumedHeadOnlyRunKeepsItsRecalibratedFeatures(@TempDir Path dir) {
        assertResumesToTheSameEnd(new Setup("feature-extraction", BatchNormPolicy.RECALIBRATE, Augmentation.none(), true),
                EPOCHS_PER_STAGE, 2, dir);
    }

    /** Runs straight, then killed in epoch {@code killedAt} and resumed; both end alike, bit for bit. */
    private static void assertResumesToTheSameEnd(Setup setup, int epochs, int killedAt, Path dir) {
        Run straight = fineTune(setup, null, null, new ArrayList<>());
        assertThat(straight.result().history()).hasSize(epochs);

        Path checkpoints = dir.resolve("ckpt");
        assertThatThrownBy(() -> fineTune(setup, checkpoints, killedAt, new ArrayList<>())).hasMessage("killed");
        List<String> info = new ArrayList<>();
        Run resumed = fineTune(setup, checkpoints, null, info);

        assertThat(info).anyMatch(l -> l.startsWith("resuming from") && l.contains("after epoch " + (killedAt - 1)));
        assertThat(info).noneMatch(l -> l.startsWith("recalibrating"));
        assertThat(resumed.result().history()).hasSize(epochs);
        for (int i = 0; i < epochs; i++) {
            EpochRecord a = straight.result().history().get(i);
            EpochRecord b = resumed.result().history().get(i);
            assertThat(b.trainLoss()).as("train loss, epoch %d", a.epoch()).isEqualTo(a.trainLoss());
            assertThat(b.validationLoss()).as("validation loss, epoch %d", a.epoch()).isEqualTo(a.validationLoss());
        }
        assertThat(resumed.result().bestEpoch()).isEqualTo(straight.result().bestEpoch());
        assertThat(resumed.weights()).containsOnlyKeys(straight.weights().keySet());
        straight.weights().forEach((name, values) -> assertThat(resumed.weights().get(name)).as(name).isEqualTo(values));
        assertThat(resumed.result().tunedBackbone()).containsOnlyKeys(straight.result().tunedBackbone().keySet());
        straight.result().tunedBackbone().forEach((name, values) ->
                assertThat(resumed.result().tunedBackbone().get(name)).as(name).isEqualTo(values));
        straight.result().head().weights().forEach((name, values) ->
                assertThat(resumed.result().head().weights().get(name)).as(name).isEqualTo(values));

        // the backbone, and so the bundle, keeps the best epoch's running statistics with its weights
        Map<String, float[]> best = straight.statisticsByEpoch().get(straight.result().bestEpoch());
        best.forEach((name, values) -> assertThat(straight.weights().get(name)).as(name).isEqualTo(values));
    }
}
