package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadSelectionTest {

    private static final SyntheticFeatures ALL = new SyntheticFeatures(900, 16, 3, 3.0, 21);
    private static final Part TRAIN = new Part(0, 300);
    private static final Part TEST = new Part(300, 900);

    /** Rows of the same class clusters. */
    private record Part(float[][] x, int[] y) {
        Part(int from, int to) {
            this(java.util.Arrays.copyOfRange(ALL.x, from, to), java.util.Arrays.copyOfRange(ALL.y, from, to));
        }
    }

    private static HeadSelection.Options options(HeadSelection.Search search) {
        HeadSelection.Options d = HeadSelection.Options.defaults();
        return new HeadSelection.Options(search, 32, 5, 10, new HeadTrainingConfig(40, 32, 1e-3, 0.01, 5, 42));
    }

    @Test
    void everyCandidateIsScoredAndTheBestMeanOutOfFoldMacroF1Wins() {
        List<String> lines = new ArrayList<>();
        HeadSelection.Result r = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.ALL), lines::add);
        assertThat(r.table()).hasSize(12);
        assertThat(r.table().stream().filter(s -> s.head().equals("linear"))).hasSize(10);
        assertThat(r.table().stream().filter(s -> s.head().equals("mlp:32"))).hasSize(2)
                .allSatisfy(s -> assertThat(s.epochs()).isBetween(1, 40));
        double best = r.table().stream().mapToDouble(HeadSelection.Score::meanMacroF1).max().orElseThrow();
        assertThat(r.chosen().meanMacroF1()).isEqualTo(best);
        assertThat(r.outOfFold()).hasNumberOfRows(300);
        assertThat(String.join("\n", lines)).contains("5-fold cross-validation", "→", "refitted on all 300 rows");
    }

    @Test
    void theRefittedHeadDoesOnNewDataAboutAsWellAsCrossValidationPromised() {
        HeadSelection.Result r = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.ALL), s -> {});
        int[] predicted = dev.graft.Graft.argmax(r.head().probabilities(TEST.x));
        double testF1 = ClassificationMetrics.compute(TEST.y, predicted, List.of("a", "b", "c")).macroF1();
        assertThat(testF1).isGreaterThan(0.6).isCloseTo(r.chosen().meanMacroF1(), org.assertj.core.data.Offset.offset(0.08));
    }

    @Test
    void temperatureScalingDoesNotWorsenTheOutOfFoldCalibration() {
        HeadSelection.Result r = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.LINEAR), s -> {});
        assertThat(r.eceAfter()).isLessThanOrEqualTo(r.eceBefore() + 0.01);
        assertThat(r.head().temperature()).isEqualTo(r.temperature());
    }

    @Test
    void aForcedHeadStillHasItsRegularisationChosen() {
        HeadSelection.Result linear = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.LINEAR), s -> {});
        assertThat(linear.table()).hasSize(10).allSatisfy(s -> assertThat(s.head()).isEqualTo("linear"));
        assertThat(linear.head().spec().hidden()).isZero();
        HeadSelection.Result mlp = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.MLP), s -> {});
        assertThat(mlp.table()).hasSize(2).allSatisfy(s -> assertThat(s.head()).isEqualTo("mlp:32"));
        assertThat(mlp.head().spec().hidden()).isEqualTo(32);
        assertThat(mlp.history()).hasSize(mlp.chosen().epochs());
    }

    @Test
    void theSameSeedGivesTheSameHead() {
        HeadSelection.Result a = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.ALL), s -> {});
        HeadSelection.Result b = HeadSelection.select(TRAIN.x, TRAIN.y, 3, null, options(HeadSelection.Search.ALL), s -> {});
        assertThat(b.chosen()).isEqualTo(a.chosen());
        assertThat(b.table()).isEqualTo(a.table());
        a.head().weights().forEach((name, w) -> assertThat(b.head().weights().get(name)).as(name).containsExactly(w));
        assertThat(b.temperature()).isEqualTo(a.temperature());
    }

    @Test
    void aClassWithOneExampleIsRefusedWithTheReason() {
        int[] y = TRAIN.y.clone();
        java.util.Arrays.fill(y, 0);
        y[5] = 1;
        y[6] = 2;
        y[7] = 2;
        assertThatThrownBy(() -> HeadSelection.select(TRAIN.x, y, 3, null, options(HeadSelection.Search.LINEAR), s -> {}))
                .isInstanceOf(GraftException.class).hasMessageContaining("a class has 1");
    }

    @Test
    void fewExamplesOfAClassMeanFewerFolds() {
        int[] y = TRAIN.y.clone();
        int rare = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 2 && rare++ >= 3) {
                y[i] = 0;
            }
        }
        List<String> lines = new ArrayList<>();
        HeadSelection.select(TRAIN.x, y, 3, null, options(HeadSelection.Search.LINEAR), lines::add);
        assertThat(lines.get(0)).contains("3-fold cross-validation");
    }
}
