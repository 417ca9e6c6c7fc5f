package dev.graft.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.advise.LinearProbe;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuspectLabelsTest {

    @Test
    void flippedLabelsOfSeparableClassesAreTheSuspects() {
        Random r = new Random(3);
        int n = 300;
        float[][] x = new float[n][6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 6; j++) {
                x[i][j] = (float) ((j == y[i] ? 4 : 0) + r.nextGaussian());
            }
        }
        Set<Integer> flipped = new HashSet<>();
        for (int i = 0; i < n; i += 20) {
            y[i] = (y[i] + 1) % 3;
            flipped.add(i);
        }
        float[][] oof = LinearProbe.outOfFold(x, y, 3, 5, 1);
        SuspectLabels.Result result = SuspectLabels.find(oof, y, 3);
        Set<Integer> found = new HashSet<>();
        result.suspects().forEach(s -> found.add(s.index()));
        assertThat(found).containsAll(flipped);
        assertThat(found.size()).isLessThanOrEqualTo(flipped.size() + 3);
        for (SuspectLabels.Suspect s : result.suspects()) {
            if (flipped.contains(s.index())) {
                assertThat(s.suggested()).isEqualTo((s.given() + 2) % 3);
            }
        }
        List<SuspectLabels.Suspect> ranked = result.suspects();
        for (int i = 1; i < ranked.size(); i++) {
            assertThat(ranked.get(i).givenProbability()).isGreaterThanOrEqualTo(ranked.get(i - 1).givenProbability());
        }
        for (double rate : result.noiseRate()) {
            assertThat(rate).isBetween(0.02, 0.12);
        }
    }

    @Test
    void thresholdsAreTheMeanSelfConfidencePerClass() {
        float[][] p = {{0.9f, 0.1f}, {0.7f, 0.3f}, {0.2f, 0.8f}, {0.6f, 0.4f}};
        int[] y = {0, 0, 1, 1};
        SuspectLabels.Result result = SuspectLabels.find(p, y, 2);
        assertThat(result.thresholds()[0]).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(result.thresholds()[1]).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-6));
        // example 3 is labelled 1 with p 0.4 < 0.6 and class 0 reaches 0.6 < 0.8: not confident enough
        assertThat(result.suspects()).isEmpty();
        p[3] = new float[] {0.85f, 0.15f};
        assertThat(SuspectLabels.find(p, y, 2).suspects()).singleElement()
                .satisfies(s -> assertThat(s.index()).isEqualTo(3));
    }

    @Test
    void nearDuplicatesWithinAndAcross() {
        float[][] x = {{1, 0, 0}, {0.99f, 0.05f, 0}, {0, 1, 0}, {0, 0, 2}};
        assertThat(NearDuplicates.within(x, 0.98)).singleElement()
                .satisfies(p -> assertThat(List.of(p.a(), p.b())).containsExactly(0, 1));
        float[][] queries = {{0, 0, 5}, {1, 1, 0}};
        assertThat(NearDuplicates.across(queries, x, 0.98)).singleElement()
                .satisfies(p -> assertThat(List.of(p.a(), p.b())).containsExactly(0, 3));
    }
}
