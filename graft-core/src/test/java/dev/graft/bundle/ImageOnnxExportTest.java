package dev.graft.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.FitListener;
import dev.graft.FitRequest;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.adapt.Strategy;
import dev.graft.adapt.TrainingOptions;
import dev.graft.backbone.ModelStore;
import dev.graft.image.ImageFolders;
import dev.graft.train.Progress;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Image classifiers, fine-tuned or with LoRA merged, exported to ONNX predict as their bundles do
 * when ONNX Runtime runs the export alone.
 */
class ImageOnnxExportTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"smallcnn, partial:1", "mobilenetv2:64, lora", "inceptionv3:80, partial:1"})
    void anExportedImageClassifierPredictsLikeItsBundle(String backbone, String strategy) throws IOException {
        if (!backbone.startsWith("smallcnn")) {
            ModelStore.fetch(backbone.substring(0, backbone.indexOf(':')), s -> {});
        }
        Path folder = stripes(work.resolve("stripes"), 8, 3);
        Path bundle = work.resolve("images.graft");
        Graft.fit(FitRequest.of(folder, bundle).withBackbone(backbone, Strategy.parse(strategy), 32)
                .withTraining(TrainingOptions.defaults().withEpochs(1)), FitListener.NONE);
        Path export = work.resolve("onnx");
        try (BundleClassifier classifier = BundleClassifier.load(bundle, null)) {
            classifier.exportOnnx(export);
            ExportCheck check = ExportCheck.of(classifier, export, ImageFolders.load(folder), Progress.NONE);
            System.out.println(backbone + " " + strategy + ": " + check);
            assertThat(check.rows()).isEqualTo(16);
            assertThat(check.sameLabel()).isEqualTo(1.0);
            assertThat(check.maxProbabilityDifference()).isLessThan(1e-4);
            assertThatThrownBy(() -> classifier.exportOnnx(work.resolve("int8"), dev.graft.Precision.INT8))
                    .isInstanceOf(GraftException.class).hasMessageContaining("fp32 only");
        }
        String meta = Files.readString(export.resolve(OnnxClassifier.META));
        assertThat(meta).contains("\"input\" : \"image\"", "\"pixels\"");
        try (OnnxClassifier onnx = OnnxClassifier.load(export)) {
            assertThat(onnx.info().task()).isEqualTo("image-classification");
            float[][] p = onnx.probabilities(List.of(folder.resolve("vertical/0.png").toString()));
            assertThat(p[0][0] + p[0][1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    /** Writes {@code root/<horizontal|vertical>/<i>.png}: stripes of random phase and period. */
    static Path stripes(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String label : new String[] {"horizontal", "vertical"}) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                int period = 4 + random.nextInt(4);
                int phase = random.nextInt(period);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int along = label.equals("horizontal") ? y : x;
                        int v = ((along + phase) % period) < period / 2 ? 220 : 30;
                        image.setRGB(x, y, v << 16 | v << 8 | v | (x * 5) << 8);
                    }
                }
                ImageIO.write(image, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }
}
