package dev.graft.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TarballsTest {

    @Test
    void entryPathsThatEscapeAreRefused() {
        Path tgz = Path.of("package.tgz"); // named in the messages only
        assertThatThrownBy(() -> Tarballs.checkedName("/etc/passwd", tgz)).isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> Tarballs.checkedName("C:\\evil", tgz)).isInstanceOf(GraftException.class);
        assertThatThrownBy(() -> Tarballs.checkedName("a\\..\\..\\evil", tgz)).isInstanceOf(GraftException.class);
        assertThat(Tarballs.checkedName("./package/data/a..b.json", tgz)).isEqualTo("package/data/a..b.json");
    }
}
