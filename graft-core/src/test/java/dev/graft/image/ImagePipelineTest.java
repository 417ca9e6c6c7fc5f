package dev.graft.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImagePipelineTest {

    @Test
    void resizesWithCornersAlignedLikeTensorFlow() {
        // 2×2 grey image 0, 100 / 200, 60 resized to 3×3: corners kept, middles interpolated
        DecodedImage image = new DecodedImage(2, 2, 1, new byte[] {0, 100, (byte) 200, 60});
        float[] out = new float[3 * 9];
        new ImagePipeline(3, Normalisation.UNIT).toTensor(image, out, 0);
        float[] expected = {0, 50, 100, 100, 90, 80, 200, 130, 60};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 9; i++) {
                assertThat(out[c * 9 + i] * 255f).as("channel %d pixel %d", c, i).isCloseTo(expected[i], within(1e-3f));
            }
        }
    }

    @Test
    void keepsColourChannelsApartAndNormalises() {
        DecodedImage red = new DecodedImage(1, 1, 3, new byte[] {(byte) 255, 0, 127});
        float[] out = new float[3 * 64];
        new ImagePipeline(8, Normalisation.SIGNED).toTensor(red, out, 0);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[64]).isEqualTo(-1f);
        assertThat(out[128]).isCloseTo(127 / 127.5f - 1, within(1e-6f));
        float[] imagenet = new float[3 * 64];
        new ImagePipeline(8, Normalisation.IMAGENET).toTensor(red, imagenet, 0);
        assertThat(imagenet[0]).isCloseTo((1 - 0.485f) / 0.229f, within(1e-5f));
    }

    @Test
    void keyNamesSizeAndNormalisation() {
        assertThat(new ImagePipeline(96, Normalisation.UNIT).key()).isNotEqualTo(new ImagePipeline(224, Normalisation.UNIT).key())
                .isNotEqualTo(new ImagePipeline(96, Normalisation.SIGNED).key());
    }
}
