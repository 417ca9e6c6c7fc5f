package dev.graft.advise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvisorRulesTest {

    private static Signal signal(String id, Signal.Verdict v) {
        return new Signal(id, id, "-", v, "because", Map.of());
    }

    @Test
    void theClassicTable() {
        assertThat(Advisor.table(false, false)).isEqualTo("feature-extraction");
        assertThat(Advisor.table(false, true)).isEqualTo("two-stage:2");
        assertThat(Advisor.table(true, false)).isEqualTo("two-stage");
        assertThat(Advisor.table(true, true)).isEqualTo("full");
    }

    @Test
    void aClearShortFineTuneDecides() {
        List<String> reasons = new ArrayList<>();
        List<Signal> signals = List.of(signal("unknown_tokens", Signal.Verdict.SIMILAR),
                signal("fragmentation", Signal.Verdict.SIMILAR), signal("fine_tune_gain", Signal.Verdict.DIFFERENT));
        assertThat(Advisor.decideDomain(signals, reasons)).isEqualTo(Signal.Verdict.DIFFERENT);
        assertThat(reasons).singleElement().asString().startsWith("different: because");
    }

    @Test
    void otherwiseTheMajorityAndTiesStartSimple() {
        List<Signal> different = List.of(signal("unknown_tokens", Signal.Verdict.DIFFERENT),
                signal("fragmentation", Signal.Verdict.DIFFERENT), signal("probe_curve", Signal.Verdict.SIMILAR),
                signal("fine_tune_gain", Signal.Verdict.NEUTRAL));
        assertThat(Advisor.decideDomain(different, new ArrayList<>())).isEqualTo(Signal.Verdict.DIFFERENT);
        List<Signal> tie = List.of(signal("unknown_tokens", Signal.Verdict.DIFFERENT),
                signal("probe_curve", Signal.Verdict.SIMILAR));
        List<String> reasons = new ArrayList<>();
        assertThat(Advisor.decideDomain(tie, reasons)).isEqualTo(Signal.Verdict.SIMILAR);
        assertThat(reasons.get(0)).contains("a tie starts simple");
    }

    @Test
    void stratifiedOrderKeepsEveryPrefixBalanced() {
        int[] y = new int[40];
        for (int i = 30; i < 40; i++) {
            y[i] = 1;
        }
        int[] order = Advisor.stratifiedOrder(y, 2, 3);
        assertThat(java.util.Arrays.stream(order).distinct().count()).isEqualTo(40);
        int ones = 0;
        for (int i = 0; i < 20; i++) {
            ones += y[order[i]];
        }
        assertThat(ones).isEqualTo(5);
    }

    @Test
    void domainClassifierTellsShiftedFeaturesApartButNotSameOnes() {
        java.util.Random r = new java.util.Random(1);
        float[][] a = new float[200][8];
        float[][] b = new float[200][8];
        float[][] shifted = new float[200][8];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 8; j++) {
                a[i][j] = (float) r.nextGaussian();
                b[i][j] = (float) r.nextGaussian();
                shifted[i][j] = (float) r.nextGaussian() + (j == 0 ? 3 : 0);
            }
        }
        Signal same = Advisor.domainSignal(a, b, 1);
        Signal apart = Advisor.domainSignal(shifted, b, 1);
        assertThat((double) same.values().get("accuracy")).isLessThan(0.65);
        assertThat(same.verdict()).isEqualTo(Signal.Verdict.SIMILAR);
        assertThat((double) apart.values().get("accuracy")).isGreaterThan(0.9);
        assertThat(apart.verdict()).isEqualTo(Signal.Verdict.NEUTRAL);
    }

    @Test
    void referenceTextIsGeneralEnglish() {
        List<String> passages = ReferenceText.passages();
        assertThat(passages).hasSize(400);
        assertThat(passages).allSatisfy(p -> assertThat(p.split(" ").length).isBetween(30, 130));
    }
    @Test
    void aPickThatNeedsOverThreeQuartersOfTheMemoryBecomesLora() {
        long gib = 1L << 30;
        StrategyEstimate full = new StrategyEstimate("full", 22_000_000, 0.5, 600, 7 * gib);
        assertThat(Advisor.loraForMemory("full", full, 8 * gib, true)).isEqualTo("full would need about 7.0 GB but 8.0 GB is available: LoRA instead");
        assertThat(Advisor.loraForMemory("full", full, 10 * gib, true)).as("7 of 10 GB fits").isNull();
        assertThat(Advisor.loraForMemory("full", full, 8 * gib, false)).as("no adapters for this backbone").isNull();
        assertThat(Advisor.loraForMemory("full", null, 8 * gib, true)).as("not measured").isNull();
        assertThat(Advisor.loraForMemory("full", full, -1, true)).as("memory unknown").isNull();
        StrategyEstimate frozen = new StrategyEstimate("feature-extraction", 99_000, 0, 5, 7 * gib);
        assertThat(Advisor.loraForMemory("feature-extraction", frozen, 8 * gib, true)).isNull();
    }
}
