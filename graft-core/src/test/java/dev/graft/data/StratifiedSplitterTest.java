package dev.graft.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSplitterTest {

    /** 100 of class a, 50 of b, 3 of c, 2 of d, 1 of e; texts are unique. */
    private static TextDataset data() {
        List<TextExample> examples = new ArrayList<>();
        int[] counts = {100, 50, 3, 2, 1};
        String[] labels = {"a", "b", "c", "d", "e"};
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                examples.add(new TextExample(labels[c] + i, labels[c]));
            }
        }
        return TextDataset.of(examples);
    }

    @Test
    void keepsClassProportions() {
        DataSplit split = StratifiedSplitter.split(data(), 0.1, 0.2, 7);

        assertThat(split.validation().countsPerLabel()).containsEntry("a", 10).containsEntry("b", 5)
                .containsEntry("c", 1).doesNotContainKeys("d", "e");
        assertThat(split.test().countsPerLabel()).containsEntry("a", 20).containsEntry("b", 10)
                .containsEntry("c", 1).doesNotContainKeys("d", "e");
        assertThat(split.train().countsPerLabel()).containsEntry("a", 70).containsEntry("b", 35)
                .containsEntry("c", 1).containsEntry("d", 2).containsEntry("e", 1);
    }

    @Test
    void partsAreDisjointAndCoverEverything() {
        TextDataset data = data();
        DataSplit split = StratifiedSplitter.split(data, 0.15, 0.15, 1);

        Set<String> seen = new HashSet<>();
        seen.addAll(split.train().texts());
        seen.addAll(split.validation().texts());
        seen.addAll(split.test().texts());
        assertThat(split.train().size() + split.validation().size() + split.test().size()).isEqualTo(data.size());
        assertThat(seen).hasSize(data.size());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        DataSplit one = StratifiedSplitter.split(data(), 0.1, 0.1, 42);
        DataSplit again = StratifiedSplitter.split(data(), 0.1, 0.1, 42);
        DataSplit other = StratifiedSplitter.split(data(), 0.1, 0.1, 43);

        assertThat(again).isEqualTo(one);
        assertThat(other.test().texts()).isNotEqualTo(one.test().texts());
        assertThat(other.test().countsPerLabel()).isEqualTo(one.test().countsPerLabel());
    }

    @Test
    void seedGivesAFixedSplitAcrossJvms() {
        // java.util.Random's sequence is specified, so this split must never change.
        TextDataset small = TextDataset.of(List.of(new TextExample("a0", "a"), new TextExample("a1", "a"),
                new TextExample("a2", "a"), new TextExample("a3", "a"), new TextExample("a4", "a")));
        DataSplit split = StratifiedSplitter.split(small, 0.2, 0.2, 42);
        List<String> all = new ArrayList<>(split.test().texts());
        all.addAll(split.validation().texts());
        all.addAll(split.train().texts());
        assertThat(all).containsExactlyElementsOf(expectedOrder(5, 42, 1, 1));
    }

    /** Re-derives the documented algorithm: Fisher–Yates with Random(seed), test first, then validation. */
    private static List<String> expectedOrder(int n, long seed, int test, int validation) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Random random = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<String> out = new ArrayList<>();
        out.add("a" + order[0]);
        out.add("a" + order[1]);
        int[] rest = java.util.Arrays.copyOfRange(order, test + validation, n);
        java.util.Arrays.sort(rest);
        for (int r : rest) {
            out.add("a" + r);
        }
        return out;
    }

    @Test
    void tinyClassesKeepOneForTraining() {
        TextDataset tiny = TextDataset.of(List.of(new TextExample("x", "one"), new TextExample("y", "two"),
                new TextExample("z", "two")));
        DataSplit split = StratifiedSplitter.split(tiny, 0.5, 0.4, 3);

        assertThat(split.train().countsPerLabel()).containsEntry("one", 1).containsEntry("two", 1);
    }

    @Test
    void trainValidationLeavesTestEmpty() {
        DataSplit split = StratifiedSplitter.trainValidation(data(), 0.2, 5);

        assertThat(split.test().size()).isZero();
        assertThat(split.validation().countsPerLabel()).containsEntry("a", 20).containsEntry("c", 1);
        assertThat(split.validation()).isEqualTo(StratifiedSplitter.split(data(), 0.2, 0, 5).validation());
    }

    @Test
    void badFractionsAreRefused() {
        assertThatThrownBy(() -> StratifiedSplitter.split(data(), 1.0, 0, 1))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("validation fraction 1 is outside [0, 1)");
        assertThatThrownBy(() -> StratifiedSplitter.split(data(), 0.1, -0.1, 1))
                .hasMessageContaining("test fraction -0.1");
        assertThatThrownBy(() -> StratifiedSplitter.split(data(), 0.7, 0.4, 1))
                .hasMessageContaining("= 1.1 leaves nothing to train on");
        assertThatThrownBy(() -> StratifiedSplitter.split(data(), Double.NaN, 0, 1))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> StratifiedSplitter.split(TextDataset.empty(), 0.1, 0.1, 1))
                .hasMessageContaining("no examples");
    }
}
