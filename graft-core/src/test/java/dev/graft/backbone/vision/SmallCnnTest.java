package dev.graft.backbone.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.LayerGroup;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageEncoder;
import dev.graft.image.ImagePipeline;
import dev.graft.image.Normalisation;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BatchNorm policies of the small CNN, checked on the running statistics and gradients themselves. */
class SmallCnnTest {

    static final int SIZE = 12;

    static SmallCnn cnn() {
        ImageEncoder encoder = new ImageEncoder(new ImagePipeline(SIZE, Normalisation.SIGNED), ref -> {
            throw new AssertionError("no files here");
        }, Augmentation.none());
        return new SmallCnn("smallcnn:" + SIZE, encoder, null);
    }

    /** Random pixels with a mean far from 0, so that batch statistics differ from the initial ones. */
    static InputBatch pixels(long seed) {
        Random random = new Random(seed);
        float[] values = new float[4 * 3 * SIZE * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.5f + (float) random.nextGaussian();
        }
        return new InputBatch() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public NDArray input(NDManager manager) {
                return manager.create(values, new Shape(4, 3, SIZE, SIZE));
            }

            @Override
            public NDArray mask(NDManager manager) {
                return null;
            }
        };
    }

    static void trainSteps(SmallCnn cnn, BatchNormPolicy policy) {
        for (int g = 0; g < cnn.groupCount(); g++) {
            cnn.setTrainable(g, true);
            cnn.setBatchNorm(g, policy);
        }
        for (int step = 0; step < 2; step++) {
            try (NDManager m = NDManager.newBaseManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = cnn.forwardFrom(new ParameterStore(m, false), pixels(step).input(m), null, 0, true);
                collector.backward(out.sum());
            }
        }
    }

    static float[] stat(SmallCnn cnn, String name) {
        return cnn.parameters(0).get("conv1.bn." + name).getArray().toFloatArray();
    }

    @Test
    void freezeKeepsStatisticsAndAffineFixed() {
        try (SmallCnn cnn = cnn()) {
            float[] mean = stat(cnn, "runningMean");
            float[] var = stat(cnn, "runningVar");
            trainSteps(cnn, BatchNormPolicy.INFERENCE);
            assertThat(stat(cnn, "runningMean")).isEqualTo(mean);
            assertThat(stat(cnn, "runningVar")).isEqualTo(var);
            assertThat(cnn.parameters(0).get("conv1.bn.gamma").requiresGradient()).isFalse();
            assertThat(cnn.parameters(0).get("conv1.weight").requiresGradient()).isTrue();
        }
    }

    @Test
    void trainAffineTrainsScaleButNotStatistics() {
        try (SmallCnn cnn = cnn()) {
            float[] mean = stat(cnn, "runningMean");
            trainSteps(cnn, BatchNormPolicy.TRAIN_AFFINE);
            assertThat(stat(cnn, "runningMean")).isEqualTo(mean);
            assertThat(cnn.parameters(0).get("conv1.bn.gamma").requiresGradient()).isTrue();
        }
    }

    @Test
    void trainMovesTheStatistics() {
        try (SmallCnn cnn = cnn()) {
            float[] mean = stat(cnn, "runningMean");
            trainSteps(cnn, BatchNormPolicy.TRAIN);
            assertThat(stat(cnn, "runningMean")).isNotEqualTo(mean);
        }
    }

    @Test
    void recalibrateSetsTheStatisticsOfTheTargetData() {
        try (SmallCnn cnn = cnn(); NDManager m = NDManager.newBaseManager()) {
            List<InputBatch> batches = List.of(pixels(1), pixels(2));
            cnn.recalibrateBatchNorm(batches, Set.of(0));
            // the first convolution's output over both batches, per channel
            NDArray x = pixels(1).input(m).concat(pixels(2).input(m), 0);
            ai.djl.nn.Block conv = ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1)).setFilters(SmallCnn.CHANNELS[0]).optBias(false).build();
            conv.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, x.getShape());
            conv.getParameters().get("weight").getArray().set(cnn.parameters(0).get("conv1.weight").getArray().toFloatArray());
            NDArray y = conv.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray perChannel = y.transpose(1, 0, 2, 3).reshape(SmallCnn.CHANNELS[0], -1);
            float[] mean = perChannel.mean(new int[] {1}).toFloatArray();
            float[] var = perChannel.sub(perChannel.mean(new int[] {1}, true)).square().mean(new int[] {1}).toFloatArray();
            float[] recalibratedMean = stat(cnn, "runningMean");
            float[] recalibratedVar = stat(cnn, "runningVar");
            for (int c = 0; c < mean.length; c++) {
                assertThat(recalibratedMean[c]).isCloseTo(mean[c], within(1e-4f));
                assertThat(recalibratedVar[c]).isCloseTo(var[c], within(1e-3f * Math.max(1, var[c])));
            }
            assertThat(cnn.parameters(1).get("conv2.bn.runningMean").getArray().toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void weightsAreAFixedInitialisationWithRunningStatisticsListed() {
        try (SmallCnn a = cnn(); SmallCnn b = cnn()) {
            assertThat(a.weightsSha256()).isEqualTo(b.weightsSha256());
            assertThat(a.pretrained()).isFalse();
            Map<String, float[]> weights = a.weights();
            assertThat(weights).containsKeys("conv1.weight", "conv3.bn.runningVar");
            assertThat(a.featureSize()).isEqualTo(128);
            assertThat(a.layerGroups()).extracting(LayerGroup::name).containsExactly("conv1", "conv2", "conv3");
        }
    }
}
