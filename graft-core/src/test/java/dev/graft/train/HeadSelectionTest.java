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
        long linear = r.table().stream().filter(s -> s.head().equals("linear")).count();
        assertThat(linear).as("L2 strengths tried (the path stops once the scores fall)").isBetween(3L, 10L);
        assertThat(r.table()).hasSize((int) linear + 2);
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
        int[] predicted = dev.graft.train.ClassificationMetrics.argmax(r.head().probabilities(TEST.x));
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
        assertThat(linear.table()).hasSizeBetween(3, 10).allSatisfy(s -> assertThat(s.head()).isEqualTo("linear"));
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

    @Test
    void augmentedViewsTrainWithTheirOriginalAndAreNeverHeldOut() {
        // labels without any signal, and views that copy their original exactly: a view of a
        // held-out row in the training folds would let a weakly regularised head recall its label
        java.util.Random random = new java.util.Random(3);
        int n = 60;
        float[][] x = new float[3 * n][];
        int[] y = new int[3 * n];
        int[] viewOf = new int[2 * n];
        for (int i = 0; i < n; i++) {
            x[i] = new float[120];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i] = random.nextInt(2);
        }
        for (int v = 0; v < 2 * n; v++) {
            viewOf[v] = v % n;
            x[n + v] = x[v % n];
            y[n + v] = y[v % n];
        }
        List<String> lines = new ArrayList<>();
        HeadSelection.Result r = HeadSelection.select(x, y, 2, null, options(HeadSelection.Search.LINEAR), lines::add,
                viewOf);
        assertThat(r.outOfFold()).hasNumberOfRows(n);
        int[] predicted = dev.graft.train.ClassificationMetrics.argmax(r.outOfFold());
        long right = java.util.stream.IntStream.range(0, n).filter(i -> predicted[i] == y[i]).count();
        assertThat(right / (double) n).as("out-of-fold accuracy on labels without signal").isLessThan(0.75);
        assertThat(lines.get(0)).contains("on 60 rows (+ 120 augmented views that train with their originals)");
    }

    @Test
    void theL2PathStopsOnceBothScoresHaveFallenForTwoStrengthsInARow() {
        // few rows, many noise dimensions: weak penalties overfit, so the path turns down early
        java.util.Random random = new java.util.Random(5);
        float[][] x = new float[400][200];
        int[] y = new int[400];
        for (int i = 0; i < 400; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 200; j++) {
                x[i][j] = (float) (random.nextGaussian() + (j < 5 ? 0.6 * y[i] : 0));
            }
        }
        List<String> lines = new ArrayList<>();
        List<HeadSelection.Score> path = HeadSelection.select(x, y, 2, null, options(HeadSelection.Search.LINEAR),
                lines::add).table();
        assertThat(path).as(String.join("\n", lines)).hasSizeLessThan(10);
        int last = path.size() - 1;
        double bestF1 = path.subList(0, last - 1).stream().mapToDouble(HeadSelection.Score::meanMacroF1).max().orElseThrow();
        double bestLoss = path.subList(0, last - 1).stream().mapToDouble(HeadSelection.Score::meanLogLoss).min().orElseThrow();
        for (HeadSelection.Score s : path.subList(last - 1, last + 1)) {
            assertThat(s.meanMacroF1()).isLessThan(bestF1);
            assertThat(s.meanLogLoss()).isGreaterThan(bestLoss);
        }
        assertThat(String.join("\n", lines)).contains("not tried")
                .containsPattern("logistic regression: \\d L2 strengths × 5 folds in");
    }
}
