package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.advise.Advice;
import dev.graft.advise.Signal;
import dev.graft.advise.StrategyEstimate;
import dev.graft.data.DatasetProfile;
import dev.graft.data.Duplicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AutoLadderTest {

    static Advice advice(boolean large, String recommendation, List<StrategyEstimate> estimates) {
        DatasetProfile profile = new DatasetProfile(10, 2, new TreeMap<>(Map.of("a", 5, "b", 5)), 1, 0,
                List.of(10, 20, 30, 40), 128, 0);
        return new Advice(profile, new Duplicates(0, 0, 0), 8, 2, "a", large ? 400 : 4, large,
                Signal.Verdict.DIFFERENT, List.of(), recommendation, "lora", List.of(), estimates, -1, 1);
    }

    static AutoFit.Step step(String strategy, double validationMacroF1, double seconds) {
        return new AutoFit.Step(strategy, validationMacroF1, Double.NaN, seconds, -1, 1);
    }

    /** Walks the ladder with the given validation macro-F1 per strategy and step time; @return the steps and the stop reason. */
    static List<String> walk(Advice advice, AutoFit.Options options, Map<String, Double> f1, double secondsPerStep) {
        List<AutoFit.Step> steps = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        AutoLadder.Decision d;
        while ((d = AutoLadder.next(steps, advice, options, steps.size() * secondsPerStep)).next() != null) {
            steps.add(step(d.next(), f1.get(d.next()), secondsPerStep));
            seen.add(d.next());
        }
        seen.add(d.stopReason());
        return seen;
    }

    static final AutoFit.Options NO_LIMITS = AutoFit.Options.defaults();

    @Test
    void largeDifferentDataClimbsToStepThreeWhileEachStepGains() {
        List<String> walk = walk(advice(true, "full", List.of()), NO_LIMITS,
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.86, "full", 0.90), 10);
        assertThat(walk).containsExactly("feature-extraction", "two-stage:2", "full", "the deepest step has run");
        assertThat(walk(advice(true, "two-stage", List.of()), NO_LIMITS,
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.86, "two-stage", 0.90), 10))
                .containsSequence("two-stage:2", "two-stage");
    }

    @Test
    void smallDataStopsAfterStepTwoAndFrozenAdviceAfterStepOne() {
        assertThat(walk(advice(false, "two-stage:2", List.of()), NO_LIMITS,
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.86), 10))
                .containsExactly("feature-extraction", "two-stage:2",
                        "too little data to unfreeze everything (the smallest class has 4 training examples; 300 needed)");
        assertThat(walk(advice(false, "feature-extraction", List.of()), NO_LIMITS, Map.of("feature-extraction", 0.80), 10))
                .containsExactly("feature-extraction", "the advisor judged the frozen features enough (different domain, small data)");
    }

    @Test
    void aStepThatGainsLessThanHalfAPointEndsTheClimb() {
        assertThat(walk(advice(true, "full", List.of()), NO_LIMITS,
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.803, "full", 0.95), 10))
                .containsExactly("feature-extraction", "two-stage:2",
                        "plateau: two-stage:2 changed validation macro-F1 by +0.0030 (less than +0.005)");
    }

    @Test
    void theTargetEndsTheClimbAtTheFirstStepThatMeetsIt() {
        assertThat(walk(advice(true, "full", List.of()), new AutoFit.Options(0.85, Double.POSITIVE_INFINITY),
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.86, "full", 0.95), 10))
                .containsExactly("feature-extraction", "two-stage:2",
                        "target met: two-stage:2 reached validation macro-F1 0.8600 ≥ 0.8500");
    }

    @Test
    void theBudgetStopsAStepItCannotPayForLoraIncluded() {
        Advice lora = advice(true, "lora", List.of(new StrategyEstimate("lora", 250_000, 0.4, 500, 1)));
        assertThat(walk(lora, new AutoFit.Options(Double.NaN, 300), Map.of("feature-extraction", 0.80, "lora", 0.9), 10))
                .containsExactly("feature-extraction", "budget: lora would take about 500 s, 290 s of 300 s are left");
        assertThat(walk(lora, new AutoFit.Options(Double.NaN, 600), Map.of("feature-extraction", 0.80, "lora", 0.9), 10))
                .containsExactly("feature-extraction", "lora", "the deepest step has run");

        List<String> unmeasured = walk(advice(true, "full", List.of()), new AutoFit.Options(Double.NaN, 300),
                Map.of("feature-extraction", 0.80, "two-stage:2", 0.86, "full", 0.95), 100);
        assertThat(unmeasured).as("full after two-stage:2 is estimated at three times its 100 s")
                .containsExactly("feature-extraction", "two-stage:2", "budget: full would take about 300 s, 100 s of 300 s are left");
    }

    @Test
    void theLadderFollowsTheAdvisor() {
        Advice frozen = advice(false, "feature-extraction", List.of());
        assertThat(AutoLadder.after("feature-extraction", frozen)).isNull();
        Advice small = advice(false, "two-stage:2", List.of());
        assertThat(AutoLadder.after("feature-extraction", small)).isEqualTo("two-stage:2");
        assertThat(AutoLadder.after("two-stage:2", small)).as("too little data to go deeper").isNull();
        Advice large = advice(true, "full", List.of());
        assertThat(AutoLadder.after("two-stage:2", large)).isEqualTo("full");
        assertThat(AutoLadder.after("full", large)).isNull();
        assertThat(AutoLadder.after("feature-extraction", advice(true, "lora", List.of()))).isEqualTo("lora");
        assertThat(AutoLadder.after("lora", advice(true, "lora", List.of()))).isNull();
    }

    @Test
    void anUnmeasuredStepIsEstimatedFromTheStepBefore() {
        Advice measured = advice(true, "full", List.of(new StrategyEstimate("two-stage:2", 10, 0.1, 120, 1)));
        assertThat(AutoLadder.estimate("two-stage:2", List.of(step("feature-extraction", 0.8, 5)), measured)).isEqualTo(120);
        assertThat(AutoLadder.estimate("full", List.of(step("two-stage:2", 0.9, 100)), measured)).isEqualTo(300);
        assertThat(AutoLadder.estimate("lora", List.of(step("feature-extraction", 0.8, 5)), measured)).isEqualTo(5);
    }
}
