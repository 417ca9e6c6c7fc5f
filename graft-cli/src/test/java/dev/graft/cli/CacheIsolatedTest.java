package dev.graft.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class whose Graft cache (features, models, datasets) lives in its own temporary directory. */
abstract class CacheIsolatedTest {

    @TempDir
    static Path work;

    @BeforeAll
    static void isolateCache() {
        System.setProperty("graft.cache", work.resolve("cache").toString());
    }

    @AfterAll
    static void restoreCache() {
        System.clearProperty("graft.cache");
    }
}
