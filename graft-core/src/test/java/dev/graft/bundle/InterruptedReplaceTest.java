package dev.graft.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.io.AtomicFiles;
import dev.graft.io.DirectorySwap;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kill between the renames that replace a directory bundle never loses the bundle. */
class InterruptedReplaceTest {

    @Test
    void theBundleSetAsideIsLoadedWhenItsReplacementNeverArrived(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Bundle.save(model, BundleTest.manifest(), BundleTest.head(4));
        String sha = Bundle.load(model).manifest().weights().sha256();
        AtomicFiles.move(model, DirectorySwap.aside(model)); // the first rename of a replacement, then the kill

        Bundle.Loaded loaded = Bundle.load(model);
        assertThat(loaded.manifest().weights().sha256()).isEqualTo(sha);
        assertThat(DirectorySwap.aside(model)).doesNotExist();
    }

    @Test
    void savingOverAnInterruptedReplaceKeepsOnlyTheNewBundle(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Bundle.save(model, BundleTest.manifest(), BundleTest.head(4));
        AtomicFiles.move(model, DirectorySwap.aside(model));

        Bundle.save(model, BundleTest.manifest(), BundleTest.head(8));
        assertThat(Bundle.load(model).manifest().head().hidden()).isEqualTo(8);
        assertThat(DirectorySwap.aside(model)).doesNotExist();
    }
}
