package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image classification end to end through the {@code graft} command, on generated 16×16 pictures
 * of horizontal and vertical stripes: a small CNN learns them from scratch, predicts a PNG file,
 * is pretrained with {@code graft pretrain} and transferred with {@code --backbone cnn:DIR}.
 */
class ImageCommandsTest extends CacheIsolatedTest {

    static Path images;

    /** Writes {@code root/<horizontal|vertical>/<i>.png}: stripes of random phase and period, with noise. */
    static Path stripes(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String label : new String[] {"horizontal", "vertical"}) {
            Files.createDirectories(root.resolve(label));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                int period = 3 + random.nextInt(3);
                int phase = random.nextInt(period);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int along = label.equals("horizontal") ? y : x;
                        int v = ((along + phase) % period) < period / 2 + 1 ? 200 : 40;
                        v = Math.max(0, Math.min(255, v + (int) (random.nextGaussian() * 25)));
                        image.setRGB(x, y, v << 16 | v << 8 | v);
                    }
                }
                ImageIO.write(image, "png", root.resolve(label).resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @BeforeAll
    static void makeImages() throws IOException {
        images = stripes(work.resolve("stripes"), 40, 3);
    }

    record Result(int status, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = GraftCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void aSmallCnnLearnsStripesFromScratchAndPredictsAPngFile() throws IOException {
        Path model = work.resolve("stripes.graft");
        Path metrics = work.resolve("stripes.json");
        Result fit = run("fit", "--data", images.toString(), "--backbone", "smallcnn:16", "--strategy", "full",
                "--epochs", "4", "--batch-size", "8", "--lr", "3e-3", "--augment", "rotate=5,jitter=0.1",
                "--out", model.toString(), "--metrics-json", metrics.toString());
        assertThat(fit.status()).as(fit.err()).isZero();
        double accuracy = new ObjectMapper().readTree(metrics.toFile()).path("accuracy").asDouble();
        System.out.println("smallcnn from scratch on stripes: test accuracy " + accuracy);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.75);
        Result predict = run("predict", "--model", model.toString(), images.resolve("vertical/0.png").toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out()).contains("vertical/0.png").containsAnyOf("vertical", "horizontal");
    }

    @Test
    void featureExtractionCanCacheAugmentedViews() {
        Result fit = run("fit", "--data", images.toString(), "--backbone", "smallcnn:16", "--strategy", "feature-extraction",
                "--augment", "default", "--cached-views", "2", "--out", work.resolve("views.graft").toString());
        assertThat(fit.status()).as(fit.err()).isZero();
        // 80 images: 72 train (8 validation, no test split), each with 2 views; the views are computed once, then read from the cache
        assertThat(fit.out()).contains("cached views: 144 augmented training views besides the 72 originals");
        Result again = run("fit", "--data", images.toString(), "--backbone", "smallcnn:16", "--strategy", "feature-extraction",
                "--augment", "default", "--cached-views", "2", "--out", work.resolve("views2.graft").toString());
        assertThat(again.out()).contains("features: 0 computed");
    }

    @Test
    void pretrainSavesABackboneThatAnotherFitTransfers() throws IOException {
        Path backbone = work.resolve("stripes-cnn");
        Result pretrain = run("pretrain", "--data", images.toString(), "--backbone", "smallcnn:16", "--epochs", "2",
                "--batch-size", "16", "--out", backbone.toString());
        assertThat(pretrain.status()).as(pretrain.err()).isZero();
        assertThat(backbone.resolve("backbone.json")).exists();
        assertThat(backbone.resolve("weights.safetensors")).exists();
        assertThat(pretrain.out()).contains("use it with: graft fit --backbone cnn:");
        Path target = stripes(work.resolve("target"), 12, 9);
        Result transfer = run("fit", "--data", target.toString(), "--backbone", "cnn:" + backbone, "--strategy",
                "feature-extraction", "--out", work.resolve("transfer.graft").toString());
        assertThat(transfer.status()).as(transfer.err()).isZero();
        assertThat(work.resolve("transfer.graft")).exists();
        Result again = run("pretrain", "--data", images.toString(), "--backbone", "smallcnn:16", "--out", backbone.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
    }
}
