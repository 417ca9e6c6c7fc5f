package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.graft.backbone.Engines;
import dev.graft.backbone.Scalars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between a forward and its backward pass changes no gradient. DJL's
 * {@code mul(Number)}, {@code div(Number)} and {@code maximum(Number)} hold the constant in a Java
 * buffer that PyTorch's autograd keeps for the backward pass after DJL has let go of it; once the
 * collector freed it and the memory was reused, gradients below came out NaN at random (the skipped
 * steps of issue 23, seen only in a JVM that had run many fits).
 */
class BackwardAfterGarbageCollectionTest {

    private static final BertConfig TINY = new BertConfig(64, 16, 1, 2, 32, 16, 2, 1e-12f);

    @Test
    void aBertLayerAndItsPoolingGiveTheSameGradientsWithACollectionBeforeTheBackwardPass() throws Exception {
        Engines.configureOffline();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            BertLayer layer = new BertLayer(TINY);
            layer.initialize(manager, DataType.FLOAT32, new Shape(2, 5, 16), new Shape(2, 1, 1, 5));
            LoraAdapter lora = new LoraAdapter(manager, 16, 16, 2, 4f, 0f, new Random(5));
            lora.b.getArray().set(randoms(16 * 2, 9));
            layer.lora.put("query", lora);
            float[] input = randoms(2 * 5 * 16, 7);

            Map<String, float[]> quiet = gradients(manager, layer, input, false);
            Map<String, float[]> collected = gradients(manager, layer, input, true);

            assertThat(collected.keySet()).isEqualTo(quiet.keySet());
            for (Map.Entry<String, float[]> e : quiet.entrySet()) {
                for (float g : e.getValue()) {
                    assertThat(Float.isFinite(g)).as("gradient of %s is finite", e.getKey()).isTrue();
                }
                assertThat(collected.get(e.getKey())).as("gradient of %s", e.getKey()).containsExactly(e.getValue());
            }
        }
    }

    @Test
    void everyScalarOperationKeepsItsConstantThroughACollection() throws Exception {
        Engines.configureOffline();
        float[] input = {-2f, -0.5f, 0.25f, 3f, 7f, 9f};
        Map<String, java.util.function.UnaryOperator<NDArray>> ops = new LinkedHashMap<>();
        ops.put("times 3", x -> Scalars.times(x, 3f));
        ops.put("over 4", x -> Scalars.over(x, 4f));
        ops.put("at least 1", x -> Scalars.atLeast(x, 1f));
        ops.put("at most 1", x -> Scalars.atMost(x, 1f));
        ops.put("relu6", Scalars::relu6);
        Map<String, float[]> expected = Map.of(
                "times 3", new float[] {3, 3, 3, 3, 3, 3},
                "over 4", new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f},
                "at least 1", new float[] {0, 0, 0, 1, 1, 1},
                "at most 1", new float[] {1, 1, 1, 0, 0, 0},
                "relu6", new float[] {0, 0, 1, 1, 0, 0});
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, java.util.function.UnaryOperator<NDArray>> op : ops.entrySet()) {
                NDArray x = manager.create(input);
                x.setRequiresGradient(true);
                List<ByteBuffer> churn = new ArrayList<>();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = op.getValue().apply(x).sum();
                    collectAndReuse(churn);
                    collector.backward(y);
                }
                assertThat(x.getGradient().toFloatArray()).as(op.getKey()).containsExactly(expected.get(op.getKey()));
                assertThat(churn).isNotEmpty();
            }
        }
    }

    /** Frees what the collector can, then refills small freed native blocks with NaN. */
    private static void collectAndReuse(List<ByteBuffer> churn) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, Float.NaN);
            churn.add(b);
        }
    }

    private static Map<String, float[]> gradients(NDManager manager, BertLayer layer, float[] input, boolean collect)
            throws InterruptedException {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : layer.getParameters()) {
            params.add(p.getValue());
        }
        LoraAdapter lora = layer.lora.get("query");
        params.add(lora.a);
        params.add(lora.b);
        for (Parameter p : params) {
            p.getArray().setRequiresGradient(true);
        }
        List<ByteBuffer> churn = new ArrayList<>();
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = scope.create(input, new Shape(2, 5, 16));
            NDArray mask = scope.ones(new Shape(2, 5));
            NDArray bias = mask.sub(1f).mul(1e9f).expandDims(1).expandDims(1);
            NDArray h = layer.forward(new ParameterStore(scope, false), new NDList(x, bias), false).singletonOrThrow();
            NDArray pooled = h.mean(new int[] {1});
            NDArray loss = pooled.div(Scalars.atLeast(pooled.norm(new int[] {1}, true), 1e-12f)).sum();
            if (collect) {
                collectAndReuse(churn);
            }
            collector.backward(loss);
        }
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            try (NDArray g = w.getGradient()) {
                out.put(i + ":" + params.get(i).getName(), g.toFloatArray());
            }
            Engines.zeroGradient(w);
        }
        assertThat(churn).hasSize(collect ? 20_000 : 0);
        return out;
    }

    private static float[] randoms(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
