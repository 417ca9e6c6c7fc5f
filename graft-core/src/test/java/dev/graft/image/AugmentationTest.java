package dev.graft.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    static DecodedImage gradient(int w, int h) {
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[(y * w + x) * 3] = (byte) (x * 255 / (w - 1));
                p[(y * w + x) * 3 + 1] = (byte) (y * 255 / (h - 1));
                p[(y * w + x) * 3 + 2] = 40;
            }
        }
        return new DecodedImage(w, h, 3, p);
    }

    @Test
    void noneLeavesTheImageAlone() {
        DecodedImage image = gradient(9, 7);
        assertThat(Augmentation.none().enabled()).isFalse();
        assertThat(Augmentation.none().apply(image, new Random(1))).isSameAs(image);
    }

    @Test
    void sameSeedSameViewOtherSeedOtherView() {
        DecodedImage image = gradient(16, 16);
        Augmentation a = Augmentation.parse("default,flip");
        byte[] first = a.apply(image, new Random(7)).pixels();
        assertThat(a.apply(image, new Random(7)).pixels()).isEqualTo(first);
        assertThat(a.apply(image, new Random(8)).pixels()).isNotEqualTo(first);
        assertThat(a.apply(image, new Random(7)).width()).isEqualTo(16);
    }

    @Test
    void flipAloneMirrorsOrKeeps() {
        DecodedImage image = gradient(8, 4);
        Augmentation flip = Augmentation.parse("flip");
        boolean mirrored = false;
        boolean kept = false;
        for (int seed = 0; seed < 20; seed++) {
            DecodedImage out = flip.apply(image, new Random(seed));
            if (out.sample(0, 0, 0) == image.sample(7, 0, 0) && out.sample(7, 2, 0) == image.sample(0, 2, 0)) {
                mirrored = true;
            } else {
                assertThat(out.pixels()).isEqualTo(image.pixels());
                kept = true;
            }
        }
        assertThat(mirrored).isTrue();
        assertThat(kept).isTrue();
    }

    @Test
    void parseRejectsUnknownPartsAndBadValues() {
        assertThat(Augmentation.parse("crop=0.5,rotate=15").cropScale()).isEqualTo(0.5);
        assertThatThrownBy(() -> Augmentation.parse("blur")).isInstanceOf(GraftException.class).hasMessageContaining("unknown part 'blur'");
        assertThatThrownBy(() -> Augmentation.parse("crop=2")).isInstanceOf(GraftException.class).hasMessageContaining("crop scale");
        assertThatThrownBy(() -> Augmentation.parse("rotate=x")).isInstanceOf(GraftException.class).hasMessageContaining("needs a number");
    }
}
