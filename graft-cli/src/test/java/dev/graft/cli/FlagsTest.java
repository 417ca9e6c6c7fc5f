package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.train.ClassWeighting;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlagsTest {

    @Test
    void everyParameterHasAFlagOfSomeCommand() {
        Set<String> options = new HashSet<>();
        collect(new CommandLine(new GraftCommand()), options);
        for (Parameter p : Parameter.values()) {
            assertThat(Flags.of(p)).as(p.name()).isNotNull().startsWith("--");
            assertThat(options).as("a graft command takes %s", Flags.of(p)).contains(Flags.of(p));
        }
        assertThat(Flags.all()).hasSize(Parameter.values().length);
    }

    @Test
    void messageNamesTheFlag() {
        GraftException e = new GraftException(Parameter.LORA_RANK, 0, "is out of range; use 1 to 1024 (8 is typical)");
        assertThat(e.getMessage()).isEqualTo("LoRA rank 0 is out of range; use 1 to 1024 (8 is typical)");
        assertThat(e.messageNaming(Flags::of)).isEqualTo("--lora-r 0 is out of range; use 1 to 1024 (8 is typical)");

        GraftException core = catchThrowableOfType(GraftException.class, () -> ClassWeighting.parse("most"));
        assertThat(core.parameter()).isEqualTo(Parameter.CLASS_WEIGHTING);
        assertThat(core.getMessage()).doesNotContain("--");
        assertThat(core.messageNaming(Flags::of)).isEqualTo("--class-weights most is not one of auto, balanced, none");

        GraftException plain = new GraftException("no such file");
        assertThat(plain.messageNaming(Flags::of)).isEqualTo("no such file");
    }

    private static void collect(CommandLine command, Set<String> options) {
        command.getCommandSpec().options().forEach(o -> options.addAll(java.util.List.of(o.names())));
        command.getSubcommands().values().forEach(sub -> collect(sub, options));
    }
}
