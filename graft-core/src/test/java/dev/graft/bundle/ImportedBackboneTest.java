package dev.graft.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.FitResult;
import dev.graft.Graft;
import dev.graft.adapt.Strategy;
import dev.graft.adapt.TrainingOptions;
import dev.graft.advise.Advice;
import dev.graft.advise.Advisor;
import dev.graft.advise.Signal;
import dev.graft.image.ImageFolders;
import dev.graft.train.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own network goes the whole way: a TF.js model (the branching network of
 * {@code TfjsImportTest}) is advised on, fine-tuned and exported to ONNX, and that export is
 * imported again as an {@code onnx:} backbone and fitted on.
 */
class ImportedBackboneTest {

    @TempDir
    Path work;

    private Path tfjsModel() throws IOException {
        Path dir = Files.createDirectories(work.resolve("my-keras-model"));
        for (String name : new String[] {"model.json", "weights.bin"}) {
            try (InputStream in = ImportedBackboneTest.class.getResourceAsStream("/dev/graft/backbone/vision/tfjs-ops/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        // it was converted at 12 px; its layers up to the features take any size
        Files.writeString(dir.resolve("preprocessing.json"), "{\"input_size\": 16, \"normalisation\": \"SIGNED\"}");
        return dir;
    }

    @Test
    void anImportedNetworkIsAdvisedFineTunedExportedAndImportedAgain() throws IOException {
        Path folder = ImageOnnxExportTest.stripes(work.resolve("stripes"), 12, 5);
        String backbone = "tfjs:" + tfjsModel();

        FitRequest request = FitRequest.of(folder, work.resolve("unused.graft"))
                .withBackbone(backbone, Strategy.parse("feature-extraction"), 32);
        Advice advice = Advisor.advise(request, new Advisor.Options(false, Advisor.TimedSteps.NEVER), FitListener.NONE);
        assertThat(advice.signals()).extracting(Signal::id).contains("pixel_baseline");
        assertThat(advice.recommendation()).isNotNull();

        Path bundle = work.resolve("mine.graft");
        FitResult tuned = Graft.fit(FitRequest.of(folder, bundle).withBackbone(backbone, Strategy.parse("full"), 32)
                .withTraining(TrainingOptions.defaults().withEpochs(2)), FitListener.NONE);
        assertThat(tuned.trainableParameters()).isEqualTo(tuned.totalParameters());

        Path export = work.resolve("mine-onnx");
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            classifier.exportOnnx(export);
            ExportCheck check = ExportCheck.of(classifier, export, ImageFolders.load(folder), Progress.NONE);
            assertThat(check.sameLabel()).isEqualTo(1.0);
            assertThat(check.maxProbabilityDifference()).isLessThan(1e-4);
        }

        Path again = work.resolve("again.graft");
        FitResult reimported = Graft.fit(FitRequest.of(folder, again)
                .withBackbone("onnx:" + export.resolve("model.onnx"), Strategy.parse("partial:1"), 32)
                .withTraining(TrainingOptions.defaults().withEpochs(1)), FitListener.NONE);
        assertThat(reimported.trainableParameters()).isGreaterThan(0).isLessThanOrEqualTo(reimported.totalParameters());
        try (BundleClassifier classifier = BundleClassifier.load(again, null)) {
            assertThat(classifier.manifest().backbone().id()).startsWith("onnx:");
            float[][] p = classifier.probabilities(List.of(folder.resolve("vertical/0.png").toString()));
            assertThat(p[0][0] + p[0][1]).isCloseTo(1f, offset(1e-5f));
        }
    }
}
