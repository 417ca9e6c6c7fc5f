package dev.graft.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.graft.GraftException;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hostile bytes for every reader of files from strangers: each must parse or refuse with a
 * {@link GraftException}; any other exception, a hang or a runaway allocation is a finding. In
 * the test suite these run on their seed inputs (src/test/resources/dev/graft/fuzz/); with
 * {@code JAZZER_FUZZ=1} they fuzz for {@code maxDuration} (scripts/fuzz.sh).
 */
class ReaderFuzzTest {

    private static Path file(String suffix, byte[] bytes) throws IOException {
        Path f = Files.createTempFile("graft-fuzz", suffix);
        Files.write(f, bytes);
        return f;
    }

    @FuzzTest(maxDuration = "60s")
    void safetensors(byte[] bytes) throws IOException {
        Path f = file(".safetensors", bytes);
        try {
            Safetensors.read(f);
        } catch (GraftException expected) {
            // refused with a message: fine
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void onnxInitializers(byte[] bytes) {
        try {
            dev.graft.backbone.onnx.OnnxInitializers.read(bytes, "fuzz input");
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    /** model.json, a zero byte, then weights.bin. */
    @FuzzTest(maxDuration = "60s")
    void tfjsModel(byte[] bytes) {
        int split = 0;
        while (split < bytes.length && bytes[split] != 0) {
            split++;
        }
        byte[] json = java.util.Arrays.copyOfRange(bytes, 0, split);
        byte[] weights = java.util.Arrays.copyOfRange(bytes, Math.min(bytes.length, split + 1), bytes.length);
        try {
            dev.graft.backbone.vision.TfjsModel.parse(json, weights, "fuzz input");
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    @FuzzTest(maxDuration = "60s")
    void bundleManifest(byte[] bytes) {
        try {
            dev.graft.bundle.BundleFuzzAccess.parseManifest(bytes);
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    @FuzzTest(maxDuration = "60s")
    void bundleZip(byte[] bytes) throws IOException {
        Path f = file(".graft", bytes);
        try {
            dev.graft.bundle.Bundle.load(f);
        } catch (GraftException expected) {
            // refused with a message: fine
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void csv(byte[] bytes) throws IOException {
        load(".csv", bytes);
    }

    @FuzzTest(maxDuration = "60s")
    void jsonl(byte[] bytes) throws IOException {
        load(".jsonl", bytes);
    }

    private static void load(String suffix, byte[] bytes) throws IOException {
        Path f = file(suffix, bytes);
        try {
            TextLoader.load(f, TextLoadOptions.defaults());
        } catch (GraftException expected) {
            // refused with a message: fine
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
