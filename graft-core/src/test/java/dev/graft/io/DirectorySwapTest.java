package dev.graft.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySwapTest {

    static Path directoryHolding(Path dir, String content) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("content.txt"), content);
        return dir;
    }

    @Test
    void theNewDirectoryReplacesTheOldAndNothingIsLeftAside(@TempDir Path root) throws IOException {
        Path target = directoryHolding(root.resolve("model"), "old");
        DirectorySwap.replace(directoryHolding(root.resolve(".staging"), "new"), target);
        assertThat(target.resolve("content.txt")).hasContent("new");
        try (var left = Files.list(root)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void aKillAfterTheOldStepsAsideLeavesItToBePutBack(@TempDir Path root) throws IOException {
        Path target = root.resolve("model");
        directoryHolding(DirectorySwap.aside(target), "old");
        assertThat(DirectorySwap.recover(target)).isTrue();
        assertThat(target.resolve("content.txt")).hasContent("old");
        assertThat(DirectorySwap.aside(target)).doesNotExist();
    }

    @Test
    void aKillAfterTheNewMovesInLeavesOnlyTheOldToDelete(@TempDir Path root) throws IOException {
        Path target = directoryHolding(root.resolve("model"), "new");
        directoryHolding(DirectorySwap.aside(target), "old");
        assertThat(DirectorySwap.recover(target)).isFalse();
        assertThat(target.resolve("content.txt")).hasContent("new");
        assertThat(DirectorySwap.aside(target)).doesNotExist();
    }

    @Test
    void aReplaceAfterAnInterruptedOneStartsFromTheRecoveredDirectory(@TempDir Path root) throws IOException {
        Path target = root.resolve("model");
        directoryHolding(DirectorySwap.aside(target), "old");
        DirectorySwap.replace(directoryHolding(root.resolve(".staging"), "new"), target);
        assertThat(target.resolve("content.txt")).hasContent("new");
        assertThat(DirectorySwap.aside(target)).doesNotExist();
    }
}
