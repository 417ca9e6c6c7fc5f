package dev.graft.backbone.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.image.Normalisation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layer type of the TF.js import in one network with branches and merges (fixture of
 * scripts/tfjs-ops-reference.sh): Graft's output against TensorFlow.js's on the same inputs.
 */
class TfjsImportTest {

    @TempDir
    Path work;

    private Path fixture() throws IOException {
        for (String name : new String[] {"model.json", "weights.bin"}) {
            try (InputStream in = TfjsImportTest.class.getResourceAsStream("tfjs-ops/" + name)) {
                Files.copy(in, work.resolve(name));
            }
        }
        return work;
    }

    @Test
    void everySupportedLayerMatchesTensorFlowJs() throws IOException {
        JsonNode reference;
        try (InputStream in = TfjsImportTest.class.getResourceAsStream("tfjs-ops/reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        float[] nhwc = new float[reference.get("input").size()];
        for (int i = 0; i < nhwc.length; i++) {
            nhwc[i] = (float) reference.get("input").get(i).asDouble();
        }
        TfjsModel model = TfjsModel.read(fixture());
        assertThat(TfjsImport.defaultFeatureLayer(model)).isEqualTo("swish");
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerGraph graph = TfjsImport.build(model, "out", manager, "tfjs-ops");
            assertThat(graph.census()).containsKeys("Convolution", "BatchNormalization", "Merge", "Pooling", "Dense",
                    "Reshaping", "Activation");
            try (GraphBackbone net = new GraphBackbone("tfjs:ops", manager.newSubManager(), graph,
                    ImageBackbones.encoder(12, Normalisation.UNIT), "sha", "ops")) {
                float[] nchw = new float[nhwc.length];
                for (int b = 0; b < 2; b++) {
                    for (int p = 0; p < 144; p++) {
                        for (int c = 0; c < 3; c++) {
                            nchw[(b * 3 + c) * 144 + p] = nhwc[(b * 144 + p) * 3 + c];
                        }
                    }
                }
                NDArray input = manager.create(nchw, new Shape(2, 3, 12, 12));
                float[] out = net.features(manager, input).toFloatArray();
                double max = 0;
                for (int i = 0; i < out.length; i++) {
                    max = Math.max(max, Math.abs(out[i] - reference.get("output").get(i).asDouble()));
                }
                System.out.printf("the TF.js layer zoo: max abs difference to TensorFlow.js %.3g over %d outputs%n", max,
                        out.length);
                assertThat(out).hasSize(reference.get("output").size());
                assertThat(max).isLessThanOrEqualTo(1e-4);
            }
        }
    }

    @Test
    void aDirectoryLoadsAsABackboneAndBadLayersAreRefusedByName() throws IOException {
        Path dir = fixture();
        Files.writeString(dir.resolve(ImportedPreprocessing.FILE), "{\"input_size\": 24, \"normalisation\": \"SIGNED\"}");
        try (GraphBackbone net = TfjsBackbones.loadDirectory("tfjs:" + dir + "#concat")) {
            assertThat(net.featureSize()).isEqualTo(24);
            assertThat(net.inputSize()).isEqualTo(24);
            assertThat(net.preprocessingKey()).contains("image:24:SIGNED", "#concat");
            assertThat(net.layerGroups()).isNotEmpty();
        }
        assertThatThrownBy(() -> TfjsBackbones.loadDirectory("tfjs:" + dir + "#nope")).isInstanceOf(GraftException.class)
                .hasMessageContaining("has no layer 'nope'");
        String json = Files.readString(dir.resolve("model.json")).replace("\"class_name\":\"LeakyReLU\"", "\"class_name\":\"LSTM\"");
        Files.writeString(dir.resolve("model.json"), json);
        assertThatThrownBy(() -> TfjsBackbones.loadDirectory("tfjs:" + dir)).isInstanceOf(GraftException.class)
                .hasMessageContaining("layer 'leaky' is a LSTM, which Graft's TensorFlow.js import does not support");
    }
}
