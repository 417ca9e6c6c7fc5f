package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.MiniLm;
import dev.graft.backbone.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTunerTest {

    static List<String> texts(int n, long seed) {
        Random r = new Random(seed);
        String[] weather = {"rain", "snow", "a storm", "fog", "wind", "sunshine"};
        String[] food = {"pasta", "soup", "bread", "a curry", "salad", "rice"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 2 == 0 ? "Expect " + weather[r.nextInt(6)] + " later, note " + i
                    : "I am cooking " + food[r.nextInt(6)] + " tonight, note " + i);
        }
        return out;
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
        }
        return y;
    }

    static TrainingOptions options(int epochs) {
        return TrainingOptions.defaults().toBuilder().headStage(3, 10).epochs(epochs).patience(10).batchSize(8).backboneDropout(0.1).build();
    }

    record Run(FineTuner.Result result, Map<String, float[]> before, Map<String, float[]> after) {}

    static Run fineTune(String strategy, int epochs, Path checkpoints, FineTuner.Listener listener) {
        try (BertBackbone backbone = MiniLm.load(32)) {
            Map<String, float[]> before = values(backbone);
            List<String> train = texts(24, 1);
            List<String> validation = texts(8, 2);
            float[][] pooled = backbone.extractFeatures(train);
            FineTunePlan plan = Strategy.parse(strategy).plan(backbone, options(epochs));
            FineTuner tuner = new FineTuner(backbone, plan, HeadSpec.linear(), FeatureScaler.fit(pooled), 2, 5,
                    checkpoints, null);
            FineTuner.Result result = tuner.run(new FineTuner.Examples(train, labels(24)),
                    new FineTuner.Examples(validation, labels(8)), null, null, listener);
            return new Run(result, before, values(backbone));
        }
    }

    static Map<String, float[]> values(BertBackbone backbone) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int g = 0; g < backbone.groupCount(); g++) {
            for (Map.Entry<String, Parameter> e : backbone.parameters(g).entrySet()) {
                out.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void frozenGroupsStayBitwiseUnchangedAndTrainedOnesMove() {
        Run run = fineTune("partial:2", 1, null, new FineTuner.Listener() {});
        int changedTrainable = 0;
        for (String name : run.before().keySet()) {
            boolean trainable = name.startsWith("encoder.layer.4.") || name.startsWith("encoder.layer.5.");
            boolean same = java.util.Arrays.equals(run.before().get(name), run.after().get(name));
            if (!trainable) {
                assertThat(same).as(name + " is frozen").isTrue();
            } else if (!same) {
                changedTrainable++;
            }
        }
        assertThat(changedTrainable).isEqualTo(32);
        assertThat(run.result().tunedBackbone()).hasSize(32);
        assertThat(run.result().history()).hasSize(1);
    }

    @Test
    void aDivergingRunSkipsItsNonFiniteStepsThenStopsWithAClearError() {
        try (BertBackbone backbone = MiniLm.load(32)) {
            List<String> train = texts(24, 1);
            float[][] pooled = backbone.extractFeatures(train);
            pooled[0][0] = Float.NaN; // every scaled feature vector now carries a NaN: each step's loss is NaN
            FineTunePlan plan = Strategy.parse("partial:1").plan(backbone, options(2));
            FineTuner tuner = new FineTuner(backbone, plan, HeadSpec.linear(), FeatureScaler.fit(pooled), 2, 5, null,
                    null);
            assertThatThrownBy(() -> tuner.run(new FineTuner.Examples(train, labels(24)),
                    new FineTuner.Examples(texts(8, 2), labels(8)), null, null, new FineTuner.Listener() {}))
                    .hasMessageContaining("training diverged").hasMessageContaining("steps skipped");
        }
    }

    @Test
    void skippedStepsAreCountedInTheirEpochAndWarnedAboutWithTheLikelyCause() {
        try (BertBackbone backbone = MiniLm.load(32)) {
            List<String> train = texts(24, 1);
            float[][] pooled = backbone.extractFeatures(train);
            FeatureScaler scaler = FeatureScaler.fit(pooled);
            pooled[0][0] = Float.NaN; // read by the head stage only: the batch holding row 0 has a NaN loss there
            TrainingOptions twoHeadEpochsThenOne = TrainingOptions.defaults().toBuilder().headStage(2, 10).epochs(1).patience(10)
                    .unfreeze(1).batchSize(8).backboneDropout(0.1).build();
            FineTunePlan plan = Strategy.parse("two-stage").plan(backbone, twoHeadEpochsThenOne);
            FineTuner tuner = new FineTuner(backbone, plan, HeadSpec.linear(), scaler, 2, 5, null, null);
            List<String> lines = new ArrayList<>();
            FineTuner.Result result = tuner.run(new FineTuner.Examples(train, labels(24)),
                    new FineTuner.Examples(texts(8, 2), labels(8)), pooled, null, new FineTuner.Listener() {
                        @Override
                        public void info(String line) {
                            lines.add(line);
                        }
                    });
            assertThat(result.history()).extracting(EpochRecord::stage).containsExactly("head", "head", "unfreeze");
            assertThat(result.history()).extracting(EpochRecord::skippedSteps).containsExactly(1, 1, 0);
            assertThat(result.history()).allMatch(r -> Double.isFinite(r.trainLoss()));
            List<String> warnings = lines.stream().filter(l -> l.startsWith("warning:")).toList();
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).matches("warning: stage head, epoch 1: 1 of \\d+ training steps skipped because"
                    + " their loss or gradient was not finite \\(last: loss NaN, gradient norm NaN\\); likely cause: "
                    + "non-finite input features, or a learning rate too high for this data");
            assertThat(warnings.get(1)).startsWith("warning: stage head, epoch 2: 1 of ");
        }
    }

    @Test
    void fineTuningWorksOnANewThread() throws InterruptedException {
        ai.djl.engine.Engine.getEngine("PyTorch");
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Run> run = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                run.set(fineTune("partial:1", 1, null, new FineTuner.Listener() {}));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        worker.join();
        assertThat(failure.get()).as("a server fine-tunes on a background thread").isNull();
        assertThat(run.get().result().tunedBackbone()).hasSize(16);
    }

    @Test
    void theBoundaryCacheGivesTheSameFeaturesAsTheFullForward() {
        try (BertBackbone backbone = MiniLm.load(32); NDManager m = NDManager.newBaseManager()) {
            TextTokenizer.Batch batch = backbone.tokenizer().encode(texts(6, 3));
            Shape shape = new Shape(batch.size(), batch.length());
            NDArray ids = m.create(batch.ids(), shape);
            NDArray mask = m.create(batch.mask(), shape);
            ParameterStore ps = new ParameterStore(m, false);
            float[] full = backbone.forwardFrom(ps, ids, mask, 0, false).toFloatArray();
            double worstHalf = 0;
            for (int boundary = 1; boundary <= backbone.groupCount(); boundary++) {
                NDArray hidden = backbone.hiddenAt(m, batch, boundary);
                float[] cached = backbone.forwardFrom(ps, hidden, mask, boundary, false).toFloatArray();
                float[] half = backbone.forwardFrom(ps, hidden.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false),
                        mask, boundary, false).toFloatArray();
                double diff = 0;
                for (int i = 0; i < full.length; i++) {
                    diff = Math.max(diff, Math.abs(full[i] - cached[i]));
                    worstHalf = Math.max(worstHalf, Math.abs(full[i] - half[i]));
                }
                assertThat(diff).as("boundary %d", boundary).isLessThanOrEqualTo(1e-4);
            }
            System.out.printf("boundary cache: float16 storage changes pooled features by at most %.2e%n", worstHalf);
            assertThat(worstHalf).isLessThan(1e-2);
        }
    }

    @Test
    void anInterruptedRunResumesToTheSameEnd(@TempDir Path dir) {
        Run straight = fineTune("two-stage", 3, null, new FineTuner.Listener() {});
        Path checkpoints = dir.resolve("ckpt");
        int interruptAt = straight.result().history().size() - 2;
        assertThatThrownBy(() -> fineTune("two-stage", 3, checkpoints, new FineTuner.Listener() {
            @Override
            public void epoch(EpochRecord epoch) {
                if (epoch.epoch() == interruptAt) {
                    throw new IllegalStateException("killed");
                }
            }
        })).hasMessage("killed");
        assertThat(checkpoints.resolve("state.json")).exists();
        List<String> resumed = new ArrayList<>();
        Run again = fineTune("two-stage", 3, checkpoints, new FineTuner.Listener() {
            @Override
            public void info(String line) {
                resumed.add(line);
            }
        });
        assertThat(resumed).anyMatch(l -> l.startsWith("resuming from") && l.contains("after epoch " + (interruptAt - 1)));
        assertThat(again.result().history()).hasSameSizeAs(straight.result().history());
        assertThat(again.result().bestEpoch()).isEqualTo(straight.result().bestEpoch());
        for (int i = 0; i < straight.result().history().size(); i++) {
            assertThat(again.result().history().get(i).validationLoss())
                    .isCloseTo(straight.result().history().get(i).validationLoss(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }
}
