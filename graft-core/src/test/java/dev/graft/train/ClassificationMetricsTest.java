package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.graft.GraftException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final List<String> LABELS = List.of("cat", "dog", "bird", "fish");

    // confusion (rows = truth): cat [3 1 0 0], dog [1 1 0 0], bird [0 2 2 0], fish [0 0 0 0]
    private static final int[] TRUTH = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
    private static final int[] PREDICTED = {0, 0, 0, 1, 1, 0, 2, 2, 1, 1};

    @Test
    void handComputedExample() {
        ClassificationMetrics m = ClassificationMetrics.compute(TRUTH, PREDICTED, LABELS);

        assertThat(m.accuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(m.confusion()).isDeepEqualTo(new int[][] {{3, 1, 0, 0}, {1, 1, 0, 0}, {0, 2, 2, 0}, {0, 0, 0, 0}});
        List<ClassificationMetrics.PerClass> c = m.perClass();
        assertThat(c).extracting(ClassificationMetrics.PerClass::label).containsExactlyElementsOf(LABELS);
        // cat: 3 of 4 predicted cats are cats, 3 of 4 cats found
        assertPerClass(c.get(0), 0.75, 0.75, 0.75, 4);
        // dog: 1 of 4 predicted dogs, 1 of 2 dogs; F1 = 2 * .25 * .5 / .75
        assertPerClass(c.get(1), 0.25, 0.5, 1.0 / 3, 2);
        // bird: 2 of 2 predicted birds, 2 of 4 birds
        assertPerClass(c.get(2), 1.0, 0.5, 2.0 / 3, 4);
        // fish: never true, never predicted: zero division gives 0
        assertPerClass(c.get(3), 0, 0, 0, 0);
        assertThat(m.macroF1()).isCloseTo((0.75 + 1.0 / 3 + 2.0 / 3 + 0) / 4, within(1e-12));
        assertThat(m.count()).isEqualTo(10);
    }

    @Test
    void tableIsAligned() {
        String table = ClassificationMetrics.compute(TRUTH, PREDICTED, LABELS).toTable().replace(System.lineSeparator(), "\n");
        assertThat(table).isEqualTo("""
                accuracy  0.6000  (10 examples)
                macro-F1  0.4375

                label  precision     recall         f1    support
                cat       0.7500     0.7500     0.7500          4
                dog       0.2500     0.5000     0.3333          2
                bird      1.0000     0.5000     0.6667          4
                fish      0.0000     0.0000     0.0000          0

                confusion (rows = truth, columns = predicted)
                truth \\ predicted  cat  dog  bird  fish
                cat                  3    1     0     0
                dog                  1    1     0     0
                bird                 0    2     2     0
                fish                 0    0     0     0
                """);
    }

    @Test
    void jsonMapHasExactlyTheAgreedKeys() {
        Map<String, Object> json = ClassificationMetrics.compute(TRUTH, PREDICTED, LABELS).toJsonMap();
        assertThat(json).containsOnlyKeys("accuracy", "macro_f1", "per_class", "confusion");
        assertThat(json.keySet()).containsExactly("accuracy", "macro_f1", "per_class", "confusion");
        assertThat((double) json.get("accuracy")).isCloseTo(0.6, within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> perClass = (Map<String, Map<String, Object>>) json.get("per_class");
        assertThat(perClass.keySet()).containsExactly("cat", "dog", "bird", "fish");
        assertThat(perClass.get("dog")).containsOnlyKeys("precision", "recall", "f1", "support")
                .containsEntry("precision", 0.25).containsEntry("recall", 0.5).containsEntry("support", 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> confusion = (Map<String, Object>) json.get("confusion");
        assertThat(confusion).containsOnlyKeys("labels", "matrix");
        assertThat(confusion.get("labels")).isEqualTo(LABELS);
        assertThat(confusion.get("matrix")).isEqualTo(
                List.of(List.of(3, 1, 0, 0), List.of(1, 1, 0, 0), List.of(0, 2, 2, 0), List.of(0, 0, 0, 0)));
    }

    @Test
    void perfectAndEmptyCases() {
        ClassificationMetrics perfect = ClassificationMetrics.compute(new int[] {0, 1, 1}, new int[] {0, 1, 1}, List.of("a", "b"));
        assertThat(perfect.accuracy()).isEqualTo(1.0);
        assertThat(perfect.macroF1()).isEqualTo(1.0);
        ClassificationMetrics empty = ClassificationMetrics.compute(new int[0], new int[0], List.of("a", "b"));
        assertThat(empty.accuracy()).isZero();
        assertThat(empty.macroF1()).isZero();
    }

    @Test
    void confusionIsACopy() {
        ClassificationMetrics m = ClassificationMetrics.compute(TRUTH, PREDICTED, LABELS);
        m.confusion()[0][0] = 99;
        assertThat(m.confusion()[0][0]).isEqualTo(3);
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> ClassificationMetrics.compute(new int[] {0}, new int[] {0, 1}, List.of("a", "b")))
                .isInstanceOf(GraftException.class).hasMessageContaining("1 true labels but 2 predictions");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new int[] {0, 2}, new int[] {0, 1}, List.of("a", "b")))
                .isInstanceOf(GraftException.class).hasMessageContaining("truth[1] = 2");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new int[] {0}, new int[] {-1}, List.of("a", "b")))
                .isInstanceOf(GraftException.class).hasMessageContaining("predicted[0] = -1");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new int[] {0}, new int[] {0}, List.of("a", "a")))
                .isInstanceOf(GraftException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> ClassificationMetrics.compute(new int[0], new int[0], List.of()))
                .isInstanceOf(GraftException.class);
    }

    private static void assertPerClass(ClassificationMetrics.PerClass c, double p, double r, double f1, int support) {
        assertThat(c.precision()).as("%s precision", c.label()).isCloseTo(p, within(1e-12));
        assertThat(c.recall()).as("%s recall", c.label()).isCloseTo(r, within(1e-12));
        assertThat(c.f1()).as("%s f1", c.label()).isCloseTo(f1, within(1e-12));
        assertThat(c.support()).as("%s support", c.label()).isEqualTo(support);
    }

    @Test
    void epochMacroF1AgreesWithTheFullMetrics() {
        java.util.Random r = new java.util.Random(9);
        int[] truth = new int[200];
        long[] predicted = new long[200];
        int[] predictedInt = new int[200];
        for (int i = 0; i < 200; i++) {
            truth[i] = r.nextInt(3);
            predictedInt[i] = r.nextDouble() < 0.7 ? truth[i] : r.nextInt(3);
            predicted[i] = predictedInt[i];
        }
        double full = ClassificationMetrics.compute(truth, predictedInt, java.util.List.of("a", "b", "c")).macroF1();
        assertThat(EpochRecord.macroF1(truth, predicted, 3)).isCloseTo(full, org.assertj.core.data.Offset.offset(1e-12));
    }
}
