package dev.graft.fuzz;

import ai.djl.ndarray.NDManager;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.graft.GraftException;
import dev.graft.backbone.onnx.OnnxImport;
import dev.graft.backbone.onnx.OnnxInitializers;
import dev.graft.backbone.onnx.OnnxModel;
import dev.graft.backbone.vision.TfjsImport;
import dev.graft.backbone.vision.TfjsModel;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
            OnnxInitializers.read(bytes, "fuzz input");
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    /** model.json, a zero byte, then weights.bin. */
    private static TfjsModel tfjs(byte[] bytes) {
        int split = 0;
        while (split < bytes.length && bytes[split] != 0) {
            split++;
        }
        return TfjsModel.parse(Arrays.copyOfRange(bytes, 0, split),
                Arrays.copyOfRange(bytes, Math.min(bytes.length, split + 1), bytes.length), "fuzz input");
    }

    /** A TF.js model parsed: the layer list and its weights. */
    @FuzzTest(maxDuration = "60s")
    void tfjsModel(byte[] bytes) {
        try {
            tfjs(bytes);
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    /** A whole ONNX graph: every node, attribute, initializer and value description. */
    @FuzzTest(maxDuration = "60s")
    void onnxModel(byte[] bytes) {
        try {
            OnnxModel.parse(bytes, "fuzz input");
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    /** An ONNX graph imported as a network: hostile topologies, attributes and weight shapes. */
    @FuzzTest(maxDuration = "60s")
    void onnxGraph(byte[] bytes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            OnnxImport.build(OnnxModel.parse(bytes, "fuzz input"), null, manager, "fuzz input");
        } catch (GraftException expected) {
            // refused with a message: fine
        }
    }

    /** A TF.js model imported as a network (model.json, a zero byte, then weights.bin). */
    @FuzzTest(maxDuration = "60s")
    void tfjsGraph(byte[] bytes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TfjsImport.build(tfjs(bytes), null, manager, "fuzz input");
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
