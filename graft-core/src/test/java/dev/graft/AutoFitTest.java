package dev.graft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoFitTest {

    @Test
    void aStepCommandResumesThatStep() {
        List<String> command = List.of("--data", "t.csv", "--strategy", "auto", "--out=m.graft", "--seed", "3");
        assertThat(AutoFit.stepCommand(command, "two-stage:2", Path.of("m.graft.auto/two-stage-2.graft")))
                .containsExactly("--data", "t.csv", "--seed", "3", "--strategy", "two-stage:2", "--out",
                        "m.graft.auto/two-stage-2.graft");
    }
}
