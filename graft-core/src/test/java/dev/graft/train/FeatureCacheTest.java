package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.backbone.Backbone;
import dev.graft.backbone.LayerGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    /** A backbone whose features are a cheap function of the text, counting its forward calls. */
    static class CountingBackbone implements Backbone {
        final List<Integer> batchSizes = new ArrayList<>();
        final String preprocessing;

        CountingBackbone(String preprocessing) {
            this.preprocessing = preprocessing;
        }

        @Override public String id() { return "fake"; }
        @Override public String weightsSha256() { return "00"; }
        @Override public int featureSize() { return 4; }
        @Override public List<LayerGroup> layerGroups() { return List.of(new LayerGroup("block0", 4)); }
        @Override public String preprocessingKey() { return preprocessing; }
        @Override public int tokenCount(String text) { return text.length(); }

        @Override
        public float[][] extractFeatures(List<String> texts) {
            batchSizes.add(texts.size());
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                String t = texts.get(i);
                out[i] = new float[] {t.length(), t.hashCode(), t.isEmpty() ? 0 : t.charAt(0), 1};
            }
            return out;
        }

        @Override public void close() {}
    }

    @Test
    void featuresAreComputedOnceAndSurviveReopening(@TempDir Path dir) {
        CountingBackbone backbone = new CountingBackbone("p1");
        List<String> texts = List.of("a", "bb", "a", "cccc", "dd", "e");
        float[][] first;
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            first = new FeatureExtractor(backbone, cache, 2).extract(texts, Progress.NONE);
            assertThat(cache.size()).isEqualTo(5);
        }
        assertThat(backbone.batchSizes).containsExactly(2, 2, 1);
        assertThat(first[0]).containsExactly(first[2]);
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            float[][] again = new FeatureExtractor(backbone, cache, 2).extract(texts, Progress.NONE);
            assertThat(again).isDeepEqualTo(first);
        }
        assertThat(backbone.batchSizes).hasSize(3);
    }

    @Test
    void batchesAreBucketedByLength(@TempDir Path dir) {
        CountingBackbone backbone = new CountingBackbone("p1") {

            @Override
            public float[][] extractFeatures(List<String> texts) {
                int min = texts.stream().mapToInt(String::length).min().orElseThrow();
                int max = texts.stream().mapToInt(String::length).max().orElseThrow();
                assertThat(max - min).isLessThanOrEqualTo(1);
                return super.extractFeatures(texts);
            }
        };
        List<String> texts = List.of("x", "yyyyyy", "zz", "wwwww", "v", "uuuuuu", "tt", "sssss");
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            new FeatureExtractor(backbone, cache, 2).extract(texts, Progress.NONE);
        }
    }

    @Test
    void anotherPreprocessingUsesAnotherCache(@TempDir Path dir) {
        try (FeatureCache a = FeatureCache.open(dir, new CountingBackbone("maxLength=128"));
                FeatureCache b = FeatureCache.open(dir, new CountingBackbone("maxLength=256"))) {
            a.putAll(List.of("t"), new float[][] {{1, 2, 3, 4}});
            assertThat(b.get("t")).isNull();
            assertThat(a.file()).isNotEqualTo(b.file());
        }
    }

    @Test
    void aTornOrCorruptTailIsDroppedAndAppendsContinue(@TempDir Path dir) throws IOException {
        CountingBackbone backbone = new CountingBackbone("p1");
        Path file;
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            cache.putAll(List.of("one", "two"), new float[][] {{1, 1, 1, 1}, {2, 2, 2, 2}});
            file = cache.file();
        }
        long recordBytes = Files.size(file) / 2;
        Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            assertThat(cache.size()).isEqualTo(2);
            assertThat(Files.size(file)).isEqualTo(2 * recordBytes);
            cache.putAll(List.of("three"), new float[][] {{3, 3, 3, 3}});
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) recordBytes + 40] ^= 0x55;
        Files.write(file, bytes);
        try (FeatureCache cache = FeatureCache.open(dir, backbone)) {
            assertThat(cache.get("one")).containsExactly(1, 1, 1, 1);
            assertThat(cache.get("two")).isNull();
            assertThat(cache.get("three")).isNull();
            assertThat(cache.size()).isEqualTo(1);
        }
    }
}
