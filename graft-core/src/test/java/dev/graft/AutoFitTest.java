package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageOptions;
import dev.graft.train.ClassWeighting;
import dev.graft.train.HeadSelection;
import dev.graft.train.HeadSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoFitTest {

    @org.junit.jupiter.api.io.TempDir
    static Path work;

    @org.junit.jupiter.api.BeforeAll
    static void isolateCache() {
        System.setProperty("graft.cache", work.resolve("cache").toString());
    }

    @org.junit.jupiter.api.AfterAll
    static void restoreCache() {
        System.clearProperty("graft.cache");
    }

    /**
     * An auto step interrupted after its first checkpoint resumes from the request stored in that
     * checkpoint alone, and ends where the same step run without interruption ends.
     */
    @Test
    void anInterruptedAutoStepResumesFromItsStoredRequestToTheUninterruptedResult() throws Exception {
        Path data = work.resolve("topics.csv");
        List<String> lines = new java.util.ArrayList<>(List.of("text,label"));
        for (Example e : ClassifierBuilderTest.topics(16, 9)) {
            lines.add("\"" + e.input() + "\"," + e.label());
        }
        java.nio.file.Files.write(data, lines);
        FitRequest auto = FitRequest.of(data, work.resolve("m.graft")).withBackbone("minilm", Strategy.featureExtraction(), 32)
                .withTraining(TrainingOptions.defaults().withEpochs(2)).withNotes(Map.of("command", "graft fit --strategy auto"));
        FitRequest straight = AutoFit.stepRequest(auto, "two-stage:2", work.resolve("straight.auto"));
        Graft.fit(straight, FitListener.NONE);

        FitRequest step = AutoFit.stepRequest(auto, "two-stage:2", work.resolve("m.graft.auto"));
        class Killed extends RuntimeException {}
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Graft.fit(step, new FitListener() {
            @Override
            public void epoch(dev.graft.train.EpochRecord epoch) {
                if (epoch.epoch() == 2) {
                    throw new Killed();
                }
            }
        })).isInstanceOf(Killed.class);
        assertThat(step.out()).doesNotExist();

        FitRequest stored = FitRequestJson.fromCheckpoint(step.checkpointDirOrDefault());
        assertThat(stored.withRun(null, stored.log())).isEqualTo(step);
        List<String> info = new java.util.ArrayList<>();
        Graft.fit(stored, new FitListener() {
            @Override
            public void info(String line) {
                info.add(line);
            }
        });
        assertThat(info).anyMatch(l -> l.startsWith("resuming from") && l.contains("after epoch 1"));
        dev.graft.bundle.BundleManifest resumed = dev.graft.bundle.Bundle.readManifest(step.out());
        dev.graft.bundle.BundleManifest uninterrupted = dev.graft.bundle.Bundle.readManifest(straight.out());
        assertThat(resumed.plan().strategy()).isEqualTo("two-stage:2");
        assertThat(resumed.metrics()).isEqualTo(uninterrupted.metrics());
        assertThat(resumed.weights().sha256()).isEqualTo(uninterrupted.weights().sha256());
    }

    @Test
    void aStepRequestIsTheAutoRequestWithTheStepsStrategyAndOutputsAndSurvivesJson() {
        FitRequest auto = FitRequest.of(Path.of("t.csv").toAbsolutePath(), Path.of("m.graft").toAbsolutePath())
                .withTraining(TrainingOptions.defaults().withSeed(3))
                .withNotes(Map.of("metrics_json", "/tmp/m.json"));
        Path work = Path.of("m.graft.auto").toAbsolutePath();
        FitRequest step = AutoFit.stepRequest(auto, "two-stage:2", work);
        assertThat(step.strategy()).isEqualTo(new Strategy.TwoStage(2));
        assertThat(step.out()).isEqualTo(work.resolve("two-stage-2.graft"));
        assertThat(step.logOrDefault()).isEqualTo(work.resolve("two-stage-2.log.jsonl"));
        assertThat(step.training().seed()).isEqualTo(3);
        assertThat(step.notes()).containsEntry("metrics_json", "/tmp/m.json");
        assertThat(FitRequestJson.read(FitRequestJson.write(step))).isEqualTo(step);
    }

    @Test
    void epochsPatienceAndBatchSizeAreForTheFineTuningStepsTheFeatureExtractionStepChoosesItsOwn() {
        FitRequest auto = FitRequest.of(Path.of("t.csv").toAbsolutePath(), Path.of("m.graft").toAbsolutePath())
                .withTraining(TrainingOptions.defaults().toBuilder().epochs(2).patience(3).batchSize(8).seed(4).build());
        Path work = Path.of("m.graft.auto").toAbsolutePath();
        TrainingOptions head = AutoFit.stepRequest(auto, "feature-extraction", work).training();
        assertThat(List.of(head.epochs(), head.patience(), head.batchSize())).containsExactly(0, 0, 0);
        assertThat(head.seed()).isEqualTo(4);
        assertThat(AutoFit.stepRequest(auto, "two-stage:2", work).training()).isEqualTo(auto.training());
    }

    @Test
    void aDerivedStrategyKeepsInt8OnlyWhereTheBackboneStaysFrozen() {
        FitRequest int8 = FitRequest.of(Path.of("t.csv").toAbsolutePath(), Path.of("m.graft").toAbsolutePath())
                .withPrecision(Precision.INT8);
        assertThat(int8.withDerivedStrategy(Strategy.featureExtraction()).precision()).isEqualTo(Precision.INT8);
        assertThat(int8.withDerivedStrategy(new Strategy.TwoStage(2)).precision()).isEqualTo(Precision.FP32);
        assertThat(int8.withStrategy(new Strategy.TwoStage(2)).precision()).isEqualTo(Precision.INT8);
        Path work = Path.of("m.graft.auto").toAbsolutePath();
        assertThat(AutoFit.stepRequest(int8, "feature-extraction", work).precision()).isEqualTo(Precision.INT8);
        assertThat(AutoFit.stepRequest(int8, "two-stage:2", work).precision()).isEqualTo(Precision.FP32);
    }

    @Test
    void everyPartOfARequestSurvivesJson() {
        AdapterSpec lora = new AdapterSpec("lora", 16, 32, 0.1, List.of("query", "value"), true, 10, 2, 1.0);
        FitRequest request = FitRequest.of(Path.of("data").toAbsolutePath(), Path.of("out").toAbsolutePath())
                .withHeldOut(Path.of("v.csv").toAbsolutePath(), null)
                .withBackbone("mobilenetv2:96", new Strategy.Adapter(lora), 64)
                .withHead(new HeadSpec(128, 0.2))
                .withTraining(TrainingOptions.defaults().toBuilder().epochs(5).batchSize(16).learningRate(3e-3).weightDecay(0.05).patience(4)
                        .seed(11).build())
                .withClassWeighting(ClassWeighting.parse("none"))
                .withImages(new ImageOptions(BatchNormPolicy.INFERENCE, new Augmentation(0.8, true, 10, 0.2), 2))
                .withHeadSearch(HeadSelection.Search.MLP)
                .withHoldout(0.2)
                .withRun(Path.of("ck").toAbsolutePath(), null);
        assertThat(FitRequestJson.read(FitRequestJson.write(request))).isEqualTo(request);
        for (String name : List.of("feature-extraction", "partial:2", "full", "two-stage", "two-stage:3", "gradual", "prefix")) {
            FitRequest r = request.withStrategy(Strategy.parse(name));
            assertThat(FitRequestJson.read(FitRequestJson.write(r)).strategy()).isEqualTo(r.strategy());
        }
    }
}
