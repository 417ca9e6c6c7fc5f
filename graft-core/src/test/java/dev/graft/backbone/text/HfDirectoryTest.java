package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.GraftException;
import dev.graft.backbone.Backbones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfDirectoryTest {

    @TempDir
    static Path work;

    static Path exported;

    private static final List<String> SENTENCES = List.of("The quick brown fox jumps over the lazy dog.",
            "Grafting joins two plants so that they grow as one.", "résumé naïve café — ünïcödé", "a");

    @BeforeAll
    static void exportMiniLm() {
        exported = work.resolve("minilm-hf");
        try (BertBackbone minilm = MiniLm.load(64)) {
            HfDirectory.write(exported, minilm, minilm.tokenizerJson());
        }
    }

    @Test
    void miniLmExportedAndImportedGivesTheSameEmbeddings() {
        try (BertBackbone original = MiniLm.load(64);
                BertBackbone imported = (BertBackbone) Backbones.load("hf:" + exported, 64)) {
            float[][] a = original.extractFeatures(SENTENCES);
            float[][] b = imported.extractFeatures(SENTENCES);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[i].length; j++) {
                    max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
                }
            }
            System.out.printf("MiniLM exported to hf and imported back: max abs difference %.2e%n", max);
            assertThat(max).isLessThanOrEqualTo(1e-5);
            assertThat(imported.id()).isEqualTo("hf:" + exported.toAbsolutePath().normalize());
            assertThat(imported.layerGroups()).isEqualTo(original.layerGroups());
            assertThat(imported.pooling()).isEqualTo(Pooling.MEAN_L2);
        }
    }

    @Test
    void poolingCanBeChosenInTheId() {
        try (BertBackbone mean = (BertBackbone) Backbones.load("hf:" + exported, 32);
                BertBackbone cls = (BertBackbone) Backbones.load("hf:" + exported + "#cls", 32)) {
            assertThat(cls.pooling()).isEqualTo(new Pooling("cls", true));
            assertThat(cls.preprocessingKey()).isNotEqualTo(mean.preprocessingKey());
            assertThat(cls.extractFeatures(SENTENCES.subList(0, 1))[0])
                    .isNotEqualTo(mean.extractFeatures(SENTENCES.subList(0, 1))[0]);
        }
    }

    @Test
    void unsupportedDirectoriesAreRefusedWithTheReason() throws IOException {
        Path empty = Files.createDirectories(work.resolve("empty"));
        assertThatThrownBy(() -> Backbones.load("hf:" + empty, 32)).isInstanceOf(GraftException.class)
                .hasMessageContaining("config.json is missing");

        Path roberta = copyOf("roberta");
        Files.writeString(roberta.resolve("config.json"), Files.readString(roberta.resolve("config.json"))
                .replace("\"bert\"", "\"roberta\""));
        assertThatThrownBy(() -> Backbones.load("hf:" + roberta, 32)).isInstanceOf(GraftException.class)
                .hasMessageContaining("model_type 'roberta' is not supported");

        Path pickle = copyOf("pickle");
        Files.move(pickle.resolve("model.safetensors"), pickle.resolve("pytorch_model.bin"));
        assertThatThrownBy(() -> Backbones.load("hf:" + pickle, 32)).isInstanceOf(GraftException.class)
                .hasMessageContaining("safe_serialization=True");

        Path max = copyOf("max");
        Files.writeString(max.resolve("1_Pooling/config.json"), "{\"pooling_mode_max_tokens\": true}");
        assertThatThrownBy(() -> Backbones.load("hf:" + max, 32)).isInstanceOf(GraftException.class)
                .hasMessageContaining("hf:DIR#mean");

        Path shape = copyOf("shape");
        Files.writeString(shape.resolve("config.json"), Files.readString(shape.resolve("config.json"))
                .replace("\"intermediate_size\" : 1536", "\"intermediate_size\" : 1024"));
        assertThatThrownBy(() -> Backbones.load("hf:" + shape, 32)).isInstanceOf(GraftException.class)
                .hasMessageContaining("has shape");
    }

    private static Path copyOf(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "modules.json")) {
            Files.copy(exported.resolve(f), dir.resolve(f));
        }
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.copy(exported.resolve("1_Pooling/config.json"), dir.resolve("1_Pooling/config.json"));
        return dir;
    }
}
