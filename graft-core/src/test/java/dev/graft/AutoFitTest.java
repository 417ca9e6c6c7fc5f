package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.advise.Advice;
import dev.graft.advise.Signal;
import dev.graft.advise.StrategyEstimate;
import dev.graft.data.DatasetProfile;
import dev.graft.data.Duplicates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AutoFitTest {

    private static Advice advice(boolean large, String recommendation, List<StrategyEstimate> estimates) {
        DatasetProfile profile = new DatasetProfile(10, 2, new TreeMap<>(Map.of("a", 5, "b", 5)), 1, 0,
                List.of(10, 20, 30, 40), 128, 0);
        return new Advice(profile, new Duplicates(0, 0, 0), 8, 2, "a", large ? 400 : 4, large,
                Signal.Verdict.DIFFERENT, List.of(), recommendation, "lora", List.of(), estimates, -1, 1);
    }

    @Test
    void theLadderFollowsTheAdvisor() {
        Advice frozen = advice(false, "feature-extraction", List.of());
        assertThat(AutoFit.after("feature-extraction", frozen)).isNull();

        Advice small = advice(false, "two-stage:2", List.of());
        assertThat(AutoFit.after("feature-extraction", small)).isEqualTo("two-stage:2");
        assertThat(AutoFit.after("two-stage:2", small)).as("too little data to go deeper").isNull();

        Advice large = advice(true, "full", List.of());
        assertThat(AutoFit.after("two-stage:2", large)).isEqualTo("full");
        assertThat(AutoFit.after("two-stage:2", advice(true, "two-stage", List.of()))).isEqualTo("two-stage");
        assertThat(AutoFit.after("full", large)).isNull();

        assertThat(AutoFit.after("feature-extraction", advice(true, "lora", List.of()))).isEqualTo("lora");
        assertThat(AutoFit.after("lora", advice(true, "lora", List.of()))).isNull();
    }

    @Test
    void estimatesComeFromTheAdvisorOrTheStepBefore() {
        Advice measured = advice(true, "full", List.of(new StrategyEstimate("two-stage:2", 10, 0.1, 120, 1)));
        assertThat(AutoFit.estimate("two-stage:2", List.of(), measured)).isEqualTo(120);
        AutoFit.Step partial = new AutoFit.Step("two-stage:2", 0.9, Double.NaN, 100, -1, 10);
        assertThat(AutoFit.estimate("full", List.of(partial), measured)).isEqualTo(300);
    }

    @Test
    void aStepCommandResumesThatStep() {
        List<String> command = List.of("--data", "t.csv", "--strategy", "auto", "--out=m.graft", "--seed", "3");
        assertThat(AutoFit.stepCommand(command, "two-stage:2", Path.of("m.graft.auto/two-stage-2.graft")))
                .containsExactly("--data", "t.csv", "--seed", "3", "--strategy", "two-stage:2", "--out",
                        "m.graft.auto/two-stage-2.graft");
    }
}
