package dev.graft.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageEncoderTest {

    @TempDir
    Path dir;

    @Test
    void anEditedImageGetsANewCacheKey() throws IOException {
        Path png = ImageFilesTest.png(dir.resolve("a.png"), 4, 4, BufferedImage.TYPE_INT_RGB);
        ImageEncoder encoder = new ImageEncoder(new ImagePipeline(8, Normalisation.UNIT), ImageFiles.SHARED, Augmentation.none());
        String before = encoder.cacheKey(png.toString());
        assertThat(encoder.cacheKey(png.toString())).isEqualTo(before);
        Files.setLastModifiedTime(png, FileTime.fromMillis(Files.getLastModifiedTime(png).toMillis() + 5_000));
        assertThat(encoder.cacheKey(png.toString())).isNotEqualTo(before).startsWith(png.toString());
    }

    @Test
    void viewsAreFixedAugmentedVersionsAndTrainingBatchesVary() throws IOException {
        Path png = ImageFilesTest.png(dir.resolve("b.png"), 12, 12, BufferedImage.TYPE_INT_RGB);
        ImageEncoder encoder = new ImageEncoder(new ImagePipeline(8, Normalisation.UNIT), ImageFiles.SHARED,
                Augmentation.parse("default,flip"));
        List<String> views = encoder.views(List.of(png.toString()), 2);
        assertThat(views).hasSize(2);
        float[] first = encoder.pixels(views.subList(0, 1));
        assertThat(encoder.pixels(views.subList(0, 1))).isEqualTo(first);
        assertThat(encoder.pixels(views.subList(1, 2))).isNotEqualTo(first);
        assertThat(encoder.pixels(List.of(png.toString()))).isNotEqualTo(first);
        try (NDManager m = NDManager.newBaseManager()) {
            var batch = encoder.encodeForTraining(List.of(png.toString()), 3);
            float[] a = batch.input(m).toFloatArray();
            float[] b = batch.input(m).toFloatArray();
            assertThat(a).isNotEqualTo(b);
            var evaluation = encoder.encode(List.of(png.toString()));
            assertThat(evaluation.input(m).toFloatArray()).isEqualTo(evaluation.input(m).toFloatArray());
            assertThat(evaluation.mask(m)).isNull();
        }
    }
}
