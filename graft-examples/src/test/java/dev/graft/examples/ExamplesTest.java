package dev.graft.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.Prediction;
import dev.graft.backbone.ModelStore;
import dev.graft.train.EpochRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example runs as a user would run it, on tiny data, and does what its comment says. */
class ExamplesTest {

    @TempDir
    static Path work;

    @BeforeAll
    static void isolateCache() {
        System.setProperty("graft.cache", work.resolve("cache").toString());
    }

    @AfterAll
    static void restoreCache() {
        System.clearProperty("graft.cache");
    }

    @Test
    void featureExtractionFromAListInMemory() {
        Prediction p = FeatureExtraction.run(SampleData.topics(20), "Heavy snow is expected tonight.");
        assertThat(p.label()).isEqualTo("weather");
        assertThat(p.probability()).isBetween(0.5, 1.0);
    }

    @Test
    void loraThenLoadThenExportToOnnxPredictAlike() {
        Path bundle = LoraFineTune.run(SampleData.topics(20), work.resolve("lora.graft"));
        assertThat(bundle).isRegularFile();
        List<String> texts = List.of("Expect fog on day 40, the forecast says.", "We had salad for dinner on day 41.");
        List<List<Prediction>> top = LoadAndPredict.run(bundle, texts);
        assertThat(top).hasSize(2).allSatisfy(row -> assertThat(row).hasSize(2));
        float[][] onnx = ExportOnnx.run(bundle, work.resolve("lora-onnx"), texts);
        for (int i = 0; i < texts.size(); i++) {
            Prediction fromBundle = top.get(i).get(0);
            int column = fromBundle.label().equals("food") ? 0 : 1;
            assertThat((double) onnx[i][column]).isCloseTo(fromBundle.probability(), org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(LoadAndPredict.run(work.resolve("lora-onnx"), texts).get(0).get(0).label())
                .isEqualTo(top.get(0).get(0).label());
    }

    @Test
    void twoStageReportsEveryEpochOfBothStages() {
        List<EpochRecord> epochs = TwoStageWithListener.run(SampleData.topics(12), SampleData.topics(4));
        assertThat(epochs).extracting(EpochRecord::stage).contains("head", "unfreeze");
    }

    @Test
    void anImageClassifierFromAFolder() throws IOException {
        ModelStore.fetch("mobilenetv2", s -> {});
        Path folder = stripes(work.resolve("stripes"), 12, 5);
        Prediction p = ImageFolder.run(folder, "mobilenetv2:96", folder.resolve("vertical/0.png"));
        assertThat(p.label()).isIn("horizontal", "vertical");
        assertThat(p.probability()).isBetween(0.5, 1.0);
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
                        image.setRGB(x, y, v << 16 | v << 8 | v);
                    }
                }
                ImageIO.write(image, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }
}
