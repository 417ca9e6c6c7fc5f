package dev.graft.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.backbone.Backbones;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SparkFlagsTest {

    @Test
    void everyFlagIsAnOptionOfSomeJob() {
        Set<String> options = new HashSet<>();
        collect(new CommandLine(new GraftSparkJob()), options);
        assertThat(SparkFlags.all()).isNotEmpty();
        SparkFlags.all().forEach((p, flag) -> assertThat(options).as("a job takes %s for %s", flag, p).contains(flag));
    }

    @Test
    void messageNamesTheJobFlagOrKeepsTheDomainTerm() {
        GraftException e = catchThrowableOfType(GraftException.class,
                () -> new SparkFeatures(Backbones.DEFAULT, 4, "text", "features", 8, 64, null));
        assertThat(e.parameter()).isEqualTo(Parameter.MAX_LENGTH);
        assertThat(e.messageNaming(SparkFlags::of)).isEqualTo("--max-length 4 is out of range; use 8 to 512 tokens");
        assertThat(e.getMessage()).isEqualTo("maximum length 4 is out of range; use 8 to 512 tokens");

        GraftException noFlag = new GraftException(Parameter.LORA_RANK, 0, "is out of range; use 1 to 1024 (8 is typical)");
        assertThat(SparkFlags.of(Parameter.LORA_RANK)).isNull();
        assertThat(noFlag.messageNaming(SparkFlags::of)).isEqualTo(noFlag.getMessage());
    }

    private static void collect(CommandLine command, Set<String> options) {
        command.getCommandSpec().options().forEach(o -> options.addAll(List.of(o.names())));
        command.getSubcommands().values().forEach(sub -> collect(sub, options));
    }
}
