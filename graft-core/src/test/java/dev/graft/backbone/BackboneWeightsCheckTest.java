package dev.graft.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.backbone.vision.SmallCnn;
import dev.graft.io.Hashes;
import dev.graft.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackboneWeightsCheckTest {

    @TempDir
    Path dir;

    final Path bundle = Path.of("model.graft");

    @Test
    void anHfDirectoryIsCheckedByTheHashOfItsWeightsFileAlone() throws IOException {
        Path hf = Files.createDirectories(dir.resolve("hf"));
        Safetensors.write(hf.resolve("model.safetensors"), Map.of("w", new float[] {1, 2}), Map.of("w", new long[] {2}), null);
        Files.writeString(hf.resolve("tokenizer.json"), "never read");
        String sha = Hashes.sha256Hex(hf.resolve("model.safetensors"));
        assertThatCode(() -> BackboneWeightsCheck.verify("hf:" + hf + "#mean", sha, bundle)).doesNotThrowAnyException();
        assertThatThrownBy(() -> BackboneWeightsCheck.verify("hf:" + hf, "0".repeat(64), bundle))
                .isInstanceOf(GraftException.class)
                .hasMessage("model.graft was trained on backbone hf:" + hf + " with weights 000000000000…, but "
                        + hf.resolve("model.safetensors") + " holds " + sha.substring(0, 12)
                        + "…; restore the directory the model was trained with, or fit the model again");
        assertThatThrownBy(() -> BackboneWeightsCheck.verify("hf:" + dir, sha, bundle)).isInstanceOf(GraftException.class)
                .hasMessageContaining(dir.resolve("model.safetensors") + " is missing");
    }

    @Test
    void aCnnDirectoryIsCheckedWithoutBuildingTheNetwork() throws IOException {
        Path cnnDir = dir.resolve("cnn");
        String sha;
        try (SmallCnn cnn = (SmallCnn) ImageBackbones.load("smallcnn:16")) {
            ImageBackbones.save(cnn, cnnDir, "test");
            sha = cnn.weightsSha256();
        }
        String id = "cnn:" + cnnDir;
        assertThatCode(() -> BackboneWeightsCheck.verify(id, sha, bundle)).doesNotThrowAnyException();
        try (TrainableBackbone loaded = ImageBackbones.load(id)) {
            assertThat(loaded.weightsSha256()).as("the same hash the loaded network reports").isEqualTo(sha);
        }
        assertThatThrownBy(() -> BackboneWeightsCheck.verify(id, "ab".repeat(32), bundle)).isInstanceOf(GraftException.class)
                .hasMessageContaining("was trained on backbone " + id + " with weights abababababab…");
        Path other = Files.createDirectories(dir.resolve("other"));
        Safetensors.write(other.resolve("weights.safetensors"), Map.of("w", new float[] {1}), Map.of("w", new long[] {1}), null);
        assertThatThrownBy(() -> BackboneWeightsCheck.verify("cnn:" + other, sha, bundle)).isInstanceOf(GraftException.class)
                .hasMessageContaining("holds other parameters");
    }

    @Test
    void builtInBackbonesNeedNoFiles() {
        assertThatCode(() -> BackboneWeightsCheck.verify("minilm", "0".repeat(64), bundle)).doesNotThrowAnyException();
    }
}
