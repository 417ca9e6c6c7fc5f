package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.backbone.LayerGroup;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmParityTest {

    private static BertBackbone backbone;

    @BeforeAll
    static void load() {
        backbone = MiniLm.load(128);
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    static List<String> sentences() {
        String longText = "Transfer learning reuses a pretrained network and adapts it to new labelled data. ".repeat(30);
        return List.of(
                "Hi",
                "?",
                "The quick brown fox jumps over the lazy dog.",
                "WIN A FREE CRUISE!!! Click now to claim your prize before midnight.",
                "Can we move tomorrow's meeting to 3pm? The projector in room B is broken.",
                longText,
                "Subject: Re: [SAdev] bug 1234\n\nThe patch fixes the header parsing; see the attached diff.",
                "Café, naïve, résumé, façade, Zürich, São Paulo, Ελληνικά, русский текст.",
                "東京は日本の首都です。今日はいい天気ですね。",
                "emoji test 🚀🔥 with mixed content 😀 and symbols ∑∫√",
                "   leading and trailing spaces   ",
                "numbers 3.14159 2718 1e-9 0x1F and dates 2026-11-28",
                "a b c d e f g h i j k l m n o p q r s t u v w x y z",
                "https://example.org/path?query=1&x=2 user@example.com",
                "Tab\tseparated\ttokens and\nnew\nlines",
                "THIS IS ALL UPPERCASE TEXT WHICH THE UNCASED TOKENIZER LOWERCASES",
                "Ünïcödé ẞ ǅ ﬁ ligatures and combining marks: e\u0301 a\u0308",
                longText.substring(0, 300));
    }

    /** Both frozen engines: PyTorch (Graft's own encoder, as fine-tuning runs it) and Graft's ONNX export. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = FrozenEngine.class, names = {"ONNX_RUNTIME", "PYTORCH"})
    void pooledEmbeddingsMatchOnnxRuntimeInAMixedLengthBatch(FrozenEngine engine) throws Exception {
        List<String> texts = sentences();
        TextTokenizer.Batch batch = backbone.tokenizer().encode(texts);
        assertThat(batch.length()).isEqualTo(128);
        backbone.useFrozenEngine(engine);
        assertThat(backbone.featureEngine()).isEqualTo(engine);
        float[][] graft;
        try {
            graft = backbone.extractFeatures(texts);
        } finally {
            backbone.useFrozenEngine(FrozenEngine.configured());
        }
        float[][] reference;
        try (OnnxReference ort = new OnnxReference(MiniLm.onnxBytes())) {
            reference = ort.embed(batch);
        }
        double maxAbs = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertThat(graft[i]).hasSize(384);
            for (int d = 0; d < 384; d++) {
                maxAbs = Math.max(maxAbs, Math.abs(graft[i][d] - reference[i][d]));
            }
        }
        System.out.printf("MiniLM parity (%s): %d texts, padded length %d, max abs difference %.3g%n",
                engine.id(), texts.size(), batch.length(), maxAbs);
        assertThat(maxAbs).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void featuresDoNotDependOnBatchCompanions() {
        List<String> texts = sentences();
        float[][] together = backbone.extractFeatures(texts);
        float[][] alone = backbone.extractFeatures(List.of(texts.get(0)));
        for (int d = 0; d < 384; d++) {
            assertThat(alone[0][d]).isCloseTo(together[0][d], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void layerGroupsCoverAllParameters() {
        List<LayerGroup> groups = backbone.layerGroups();
        assertThat(groups).extracting(LayerGroup::name)
                .containsExactly("embeddings", "block0", "block1", "block2", "block3", "block4", "block5");
        long total = groups.stream().mapToLong(LayerGroup::parameters).sum();
        long embeddings = (30522 + 512 + 2) * 384L + 2 * 384;
        long block = 4 * (384 * 384 + 384) + 2 * 2 * 384 + (384 * 1536 + 1536) + (1536 * 384 + 384);
        assertThat(groups.get(0).parameters()).isEqualTo(embeddings);
        assertThat(total).isEqualTo(embeddings + 6 * block).isEqualTo(22_565_376L);
    }

    @Test
    void tokenCountIsUntruncated() {
        assertThat(backbone.tokenCount(sentences().get(5))).isGreaterThan(300);
        assertThat(backbone.tokenCount("Hi")).isEqualTo(3);
    }
}
