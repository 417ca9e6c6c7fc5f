package dev.graft.backbone.vision;

import dev.graft.backbone.graph.GraphBackbone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.InputBatch;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BatchNorm policies, boundaries and adapters of MobileNetV2 on tiny random batches (2 × 3 × 32 × 32). */
class MobileNetV2TrainingTest {

    private static final int SIZE = 32;
    private GraphBackbone net;
    private NDManager manager;

    @BeforeEach
    void load() throws Exception {
        net = new NsfwjsFixture().load(SIZE);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
        net.close();
    }

    /** A batch of random pixels in [0, 1]. */
    private static InputBatch batch(long seed) {
        return batch(seed, 2);
    }

    private static InputBatch batch(long seed, int n) {
        Random r = new Random(seed);
        float[] pixels = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        return new InputBatch() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public NDArray input(NDManager m) {
                return m.create(pixels, new Shape(n, 3, SIZE, SIZE));
            }

            @Override
            public NDArray mask(NDManager m) {
                return null;
            }
        };
    }

    /** One backward pass through every group in training mode; gradients stay on the parameters. */
    private void trainingStep(InputBatch batch) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray features = net.forwardFrom(new ParameterStore(scope, false), batch.input(scope), null, 0, true);
            collector.backward(features.square().sum());
        }
    }

    private void trainAll(BatchNormPolicy policy) {
        for (int g = 0; g < net.groupCount(); g++) {
            net.setTrainable(g, true);
            net.setBatchNorm(g, policy);
        }
    }

    private static double absSum(Parameter p) {
        try (NDArray grad = p.getArray().getGradient(); NDArray abs = grad.abs(); NDArray sum = abs.sum()) {
            return sum.getFloat();
        }
    }

    /** Per-channel mean and biased variance of Conv1's output, computed directly. */
    private double[][] conv1Statistics(InputBatch batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = batch.input(scope).pad(new Shape(0, 1, 0, 1), 0);
            NDArray y = Conv2d.conv2d(x, net.parameters(0).get("Conv1/kernel").getArray(), null, new Shape(2, 2))
                    .singletonOrThrow();
            float[] v = y.toFloatArray();
            int c = (int) y.getShape().get(1);
            int plane = (int) (y.getShape().get(2) * y.getShape().get(3));
            int b = (int) y.getShape().get(0);
            double[][] out = new double[2][c];
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double s2 = 0;
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < plane; p++) {
                        double value = v[(i * c + ch) * plane + p];
                        s += value;
                        s2 += value * value;
                    }
                }
                double n = (double) b * plane;
                out[0][ch] = s / n;
                out[1][ch] = s2 / n - out[0][ch] * out[0][ch];
            }
            return out;
        }
    }

    @Test
    void freezePolicyKeepsRunningStatisticsAndAffineBitIdenticalWhileGroupsTrain() {
        trainAll(BatchNormPolicy.INFERENCE);
        Map<String, float[]> before = net.statistics();
        for (long seed = 1; seed <= 3; seed++) {
            trainingStep(batch(seed));
        }
        Map<String, float[]> after = net.statistics();
        before.forEach((name, values) -> assertThat(after.get(name)).as(name).isEqualTo(values));
        assertThat(absSum(net.parameters(0).get("Conv1/kernel"))).isGreaterThan(0);
        assertThat(absSum(net.parameters(0).get("bn_Conv1/gamma"))).isZero();
        assertThat(absSum(net.parameters(net.groupCount() - 1).get("Conv_1_bn/beta"))).isZero();
    }

    @Test
    void trainPolicyUpdatesRunningStatisticsWithKerasMomentum() {
        trainAll(BatchNormPolicy.TRAIN);
        InputBatch batch = batch(7);
        float[] oldMean = net.statistics().get("bn_Conv1/moving_mean");
        double[][] stats = conv1Statistics(batch);
        trainingStep(batch);
        float[] newMean = net.statistics().get("bn_Conv1/moving_mean");
        for (int c = 0; c < oldMean.length; c++) {
            double expected = 0.999 * oldMean[c] + 0.001 * stats[0][c];
            assertThat((double) newMean[c]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(newMean).isNotEqualTo(oldMean);
        assertThat(net.statistics().get("Conv_1_bn/moving_variance"))
                .isNotEqualTo(statisticsOfFreshModel("Conv_1_bn/moving_variance"));
        assertThat(absSum(net.parameters(0).get("bn_Conv1/gamma"))).isGreaterThan(0);
        // a batch of one reaches 1×1 pixels at 32 px: those layers keep their running statistics
        trainingStep(batch(8, 1));
        net.recalibrateBatchNorm(List.of(batch(9, 1)), Set.of(net.groupCount() - 1));
    }

    private float[] statisticsOfFreshModel(String name) {
        try (GraphBackbone fresh = TfjsBackbones.load(TfjsBackbones.MOBILENETV2, "mobilenetv2:" + SIZE, net.encoder())) {
            return fresh.statistics().get(name);
        }
    }

    @Test
    void trainAffinePolicyKeepsStatisticsButTrainsScaleAndShift() {
        trainAll(BatchNormPolicy.TRAIN_AFFINE);
        Map<String, float[]> before = net.statistics();
        trainingStep(batch(3));
        Map<String, float[]> after = net.statistics();
        before.forEach((name, values) -> assertThat(after.get(name)).as(name).isEqualTo(values));
        assertThat(absSum(net.parameters(0).get("bn_Conv1/gamma"))).isGreaterThan(0);
        assertThat(absSum(net.parameters(net.groupCount() - 1).get("Conv_1_bn/beta"))).isGreaterThan(0);
    }

    @Test
    void recalibrationSetsStatisticsToTheDataAndThenFreezesThem() {
        InputBatch batch = batch(11);
        Map<String, float[]> before = net.statistics();
        net.recalibrateBatchNorm(List.of(batch), Set.of(0));
        Map<String, float[]> after = net.statistics();
        double[][] stats = conv1Statistics(batch);
        float[] mean = after.get("bn_Conv1/moving_mean");
        float[] variance = after.get("bn_Conv1/moving_variance");
        double worst = 0;
        for (int c = 0; c < mean.length; c++) {
            worst = Math.max(worst, Math.abs(mean[c] - stats[0][c]));
            worst = Math.max(worst, Math.abs(variance[c] - stats[1][c]) / Math.max(1, stats[1][c]));
        }
        System.out.printf("AdaBN of bn_Conv1 against a direct computation: max difference %.2e%n", worst);
        assertThat(worst).isLessThan(1e-4);
        assertThat(after.get("expanded_conv_project_BN/moving_mean"))
                .isNotEqualTo(before.get("expanded_conv_project_BN/moving_mean"));
        assertThat(after.get("block_3_expand_BN/moving_mean")).isEqualTo(before.get("block_3_expand_BN/moving_mean"));

        net.setTrainable(0, true);
        net.setBatchNorm(0, BatchNormPolicy.RECALIBRATE);
        trainingStep(batch(12));
        assertThat(net.statistics().get("bn_Conv1/moving_mean")).isEqualTo(mean);
    }

    @Test
    void recalibrationPoolsBatches() {
        InputBatch a = batch(21);
        InputBatch b = batch(22);
        net.recalibrateBatchNorm(List.of(a, b), Set.of(0));
        double[][] sa = conv1Statistics(a);
        double[][] sb = conv1Statistics(b);
        float[] variance = net.statistics().get("bn_Conv1/moving_variance");
        for (int c = 0; c < variance.length; c++) {
            double m = (sa[0][c] + sb[0][c]) / 2;
            double pooled = (sa[1][c] + sa[0][c] * sa[0][c] + sb[1][c] + sb[0][c] * sb[0][c]) / 2 - m * m;
            assertThat((double) variance[c]).isCloseTo(pooled, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, pooled)));
        }
    }

    @Test
    void hiddenStatesAtEveryBoundaryContinueToTheSameFeatures() {
        InputBatch batch = batch(5);
        try (NDManager scope = manager.newSubManager()) {
            float[] direct = net.hiddenAt(scope, batch, net.groupCount()).toFloatArray();
            assertThat(direct).hasSize(2 * 1280);
            for (int b = 0; b <= net.groupCount(); b++) {
                NDArray h = b == 0 ? batch.input(scope) : net.hiddenAt(scope, batch, b);
                float[] f = net.forwardFrom(new ParameterStore(scope, false), h, null, b, false).toFloatArray();
                for (int i = 0; i < f.length; i++) {
                    assertThat(f[i]).as("boundary %d", b).isCloseTo(direct[i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
            assertThat(net.hiddenAt(scope, batch, 1).getShape()).isEqualTo(new Shape(2, 24, 8, 8));
        }
    }

    @Test
    void untrainedLoraLeavesFeaturesAloneAndMergesIntoTheKernels() {
        InputBatch batch = batch(9);
        AdapterSpec spec = new AdapterSpec("lora", 4, 8, 0, List.of("query"), false, 0, 1, 1.0);
        float[] plain = features(batch);
        Map<String, Parameter> adapters = net.attachAdapters(spec, 1);
        assertThat(adapters).containsKeys("block_16_expand/lora_A", "block_16_project/lora_B", "Conv_1/lora_A");
        long count = adapters.values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertThat(count).isEqualTo(net.adapterParameterCount(spec)).isEqualTo(4L * ((160 + 960) + (960 + 320) + (320 + 1280)));
        assertThat(features(batch)).containsExactly(plain, org.assertj.core.data.Offset.offset(0f));
        Random r = new Random(2);
        for (Map.Entry<String, Parameter> e : adapters.entrySet()) {
            if (e.getKey().endsWith("lora_B")) {
                float[] v = new float[(int) e.getValue().getArray().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian() * 0.05f;
                }
                e.getValue().getArray().set(v);
            }
        }
        float[] adapted = features(batch);
        Map<String, float[]> merged = net.mergeAdapters();
        assertThat(merged.keySet()).containsExactlyInAnyOrder("block_16_expand/kernel", "block_16_project/kernel", "Conv_1/kernel");
        assertThat(net.adapterParameters()).isEmpty();
        float[] after = features(batch);
        double change = 0;
        for (int i = 0; i < after.length; i++) {
            change = Math.max(change, Math.abs(adapted[i] - plain[i]));
            assertThat(after[i]).isCloseTo(adapted[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(change).isGreaterThan(1e-3);
        assertThatThrownBy(() -> net.attachAdapters(AdapterSpec.prefix(), 1)).isInstanceOf(GraftException.class)
                .hasMessageContaining("prefix tuning needs a transformer backbone");
    }

    @Test
    void tunedWeightsAndStatisticsReplaceThePretrainedOnes() {
        String key = net.preprocessingKey();
        float[] zeros = new float[32];
        net.loadTuned(Map.of("bn_Conv1/moving_mean", zeros, "bn_Conv1/beta", zeros), "abc123");
        assertThat(net.statistics().get("bn_Conv1/moving_mean")).containsOnly(0f);
        assertThat(net.parameters(0).get("bn_Conv1/beta").getArray().toFloatArray()).containsOnly(0f);
        assertThat(net.preprocessingKey()).isNotEqualTo(key).endsWith(";tuned=abc123");
        assertThatThrownBy(() -> net.loadTuned(Map.of("nope", zeros), "x")).isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> net.loadTuned(Map.of("Conv1/kernel", zeros), "x")).isInstanceOf(GraftException.class);
    }

    private float[] features(InputBatch batch) {
        try (NDManager scope = manager.newSubManager()) {
            return net.features(scope, batch.input(scope)).toFloatArray();
        }
    }
}
