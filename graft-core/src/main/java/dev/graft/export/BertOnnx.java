package dev.graft.export;

import dev.graft.GraftException;
import dev.graft.Precision;
import dev.graft.backbone.text.BertModel;
import dev.graft.backbone.text.BertConfig;
import dev.graft.io.Matrices;
import dev.graft.train.TrainedHead;
import java.util.List;
import java.util.Map;

/**
 * The whole classifier as one ONNX graph (opset 17): Graft's BERT encoder with its current
 * weights, pooling, normalisation, the feature scaler and the head. Inputs {@code input_ids} and
 * {@code attention_mask} (int64, batch × sequence); outputs {@code logits}, {@code probabilities}
 * and {@code embedding}.
 */
public final class BertOnnx {

    /** ONNX opset of the exported graph. */
    public static final int OPSET = 17;

    private BertOnnx() {}

    /**
     * Exports encoder and head as one ONNX model: token ids in, logits, probabilities and embedding out.
     *
     * @param bert the encoder, adapters merged
     * @param head the classification head
     * @return the encoded ONNX model
     */
    public static byte[] classifier(BertModel bert, TrainedHead head) {
        return classifier(bert, head, Precision.FP32);
    }

    /**
     * As {@link #classifier(BertModel, TrainedHead)}, in a chosen precision: with {@link Precision#INT8}
     * every linear layer of the encoder (attention projections included) holds int8 weights and runs
     * on ONNX Runtime's integer kernels ({@code DynamicQuantizeMatMul}, {@code QAttention}), so the
     * model runs on ONNX Runtime; embeddings, LayerNorm and the head stay float32.
     *
     * @param bert the encoder, adapters merged
     * @param head the classification head
     * @param precision {@link Precision#FP32} or {@link Precision#INT8}
     * @return the encoded ONNX model
     */
    public static byte[] classifier(BertModel bert, TrainedHead head, Precision precision) {
        OnnxGraph g = new OnnxGraph();
        String embedding = encoder(g, bert, precision == Precision.INT8, quantisation(precision));

        HeadOnnx.append(g, embedding, head);
        g.output("embedding", OnnxGraph.FLOAT, "batch", (long) bert.config().hidden());
        return g.model("graft-" + bert.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-classifier", OPSET, dev.graft.GraftVersion.VALUE);
    }

    /**
     * The encoder alone (the frozen backbone of feature extraction): inputs {@code input_ids} and
     * {@code attention_mask}, output {@code embedding} (batch × hidden), pooled as the backbone pools.
     *
     * @param bert the encoder, adapters merged
     * @return the encoded ONNX model
     */
    public static byte[] encoder(BertModel bert) {
        return encoderModel(bert, false, 0);
    }

    /**
     * As {@link #encoder(BertModel)}, with each block's self-attention (query, key and value
     * projections, scores, softmax, weighted values) as ONNX Runtime's fused {@code Attention}
     * operator: one product for the three projections and ONNX Runtime's attention kernel. The
     * model runs only on ONNX Runtime; Graft's frozen engine uses it.
     * @param bert the encoder, adapters merged
     * @return the encoded ONNX model
     */
    public static byte[] onnxRuntimeEncoder(BertModel bert) {
        return encoderModel(bert, true, 0);
    }

    /**
     * As {@link #onnxRuntimeEncoder(BertModel)}, in a chosen precision (see
     * {@link #classifier(BertModel, TrainedHead, Precision)} for what int8 quantises).
     *
     * @param bert the encoder, adapters merged
     * @param precision {@link Precision#FP32} or {@link Precision#INT8}
     * @return the encoded ONNX model
     */
    public static byte[] onnxRuntimeEncoder(BertModel bert, Precision precision) {
        return encoderModel(bert, true, quantisation(precision));
    }

    /** {@return the int8 weight limit for {@code precision}, or 0 for float32} */
    private static int quantisation(Precision precision) {
        return precision == Precision.INT8 ? Int8Weights.limit(CpuFeatures.current().vnni()) : 0;
    }

    private static byte[] encoderModel(BertModel bert, boolean fusedAttention, int int8Limit) {
        OnnxGraph g = new OnnxGraph();
        encoder(g, bert, fusedAttention, int8Limit);
        g.output("embedding", OnnxGraph.FLOAT, "batch", (long) bert.config().hidden());
        return g.model("graft-" + bert.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-encoder", OPSET, dev.graft.GraftVersion.VALUE);
    }

    /**
     * Adds the inputs, the encoder and its pooling to {@code g}; returns the name of the {@code embedding}
     * value. With {@code int8Limit > 0} the linear layers are quantised to that magnitude.
     */
    private static String encoder(OnnxGraph g, BertModel bert, boolean fusedAttention, int int8Limit) {
        if (!bert.adapterParameters().isEmpty()) {
            throw new GraftException("merge the adapters before exporting to ONNX");
        }
        BertConfig c = bert.config();
        Map<String, float[]> w = bert.weights();
        Map<String, long[]> shapes = bert.shapes();
        Linear linear = new Linear(g, w, int8Limit);
        g.input("input_ids", OnnxGraph.INT64, "batch", "sequence");
        g.input("attention_mask", OnnxGraph.INT64, "batch", "sequence");

        // embeddings: words + positions + token type 0, then LayerNorm
        String words = int8Limit > 0 ? int8Rows(g, w, shapes, "embeddings.word_embeddings.weight")
                : g.op("Gather", List.of(table(g, w, shapes, "embeddings.word_embeddings.weight"), "input_ids"));
        String length = g.op("Gather", List.of(g.op("Shape", List.of("input_ids")), g.longs("one_index", new long[0], new long[] {1})),
                OnnxGraph.Attr.i("axis", 0));
        String range = g.op("Range", List.of(g.longs("zero", new long[0], new long[] {0}), length,
                g.longs("step", new long[0], new long[] {1})));
        String positions = g.op("Gather", List.of(table(g, w, shapes, "embeddings.position_embeddings.weight"), range));
        float[] types = w.get("embeddings.token_type_embeddings.weight");
        float[] typeZero = java.util.Arrays.copyOf(types, c.hidden());
        String x = g.op("Add", List.of(g.op("Add", List.of(words, positions)),
                g.floats("token_type_0", new long[] {c.hidden()}, typeZero)));
        x = layerNorm(g, w, "embeddings.LayerNorm", x, c.layerNormEps());

        // attention bias: 0 for tokens, -1e9 for padding, shaped (B, 1, 1, L)
        String mask = g.op("Cast", List.of("attention_mask"), OnnxGraph.Attr.i("to", OnnxGraph.FLOAT));
        String bias = fusedAttention ? null : g.op("Unsqueeze", List.of(
                g.op("Mul", List.of(g.op("Sub", List.of(mask, g.scalar(1f))), g.scalar(1e9f))), g.ints(1, 2)));

        String headShape = fusedAttention ? null : g.ints(0, 0, c.heads(), c.headSize());
        String mergedShape = fusedAttention ? null : g.ints(0, 0, c.hidden());
        String scale = fusedAttention ? null : g.scalar((float) (1 / Math.sqrt(c.headSize())));
        String mask32 = fusedAttention ? g.op("Cast", List.of("attention_mask"), OnnxGraph.Attr.i("to", OnnxGraph.INT32)) : null;
        for (int i = 0; i < c.layers(); i++) {
            String p = "encoder.layer." + i + ".";
            String context = fusedAttention ? fusedAttention(g, w, p, x, mask32, c, int8Limit)
                    : attention(g, linear, p, x, bias, headShape, mergedShape, scale);
            String attended = layerNorm(g, w, p + "attention.output.LayerNorm",
                    g.op("Add", List.of(linear.apply(p + "attention.output.dense", context), x)), c.layerNormEps());
            String inner = linear.apply(p + "intermediate.dense", attended);
            String gelu = g.op("Mul", List.of(g.op("Mul", List.of(inner, g.scalar(0.5f))),
                    g.op("Add", List.of(g.op("Erf", List.of(g.op("Div", List.of(inner, g.scalar((float) Math.sqrt(2)))))), g.scalar(1f)))));
            x = layerNorm(g, w, p + "output.LayerNorm", g.op("Add", List.of(linear.apply(p + "output.dense", gelu), attended)),
                    c.layerNormEps());
        }

        String pooled;
        if (bert.pooling().mode().equals("cls")) {
            pooled = g.op("Gather", List.of(x, g.longs("first", new long[0], new long[] {0})), OnnxGraph.Attr.i("axis", 1));
        } else {
            String m3 = g.op("Unsqueeze", List.of(mask, g.ints(2)));
            String sum = g.op("ReduceSum", List.of(g.op("Mul", List.of(x, m3)), g.ints(1)), OnnxGraph.Attr.i("keepdims", 0));
            String count = g.op("Max", List.of(g.op("ReduceSum", List.of(m3, g.ints(1)), OnnxGraph.Attr.i("keepdims", 0)),
                    g.scalar(1e-9f)));
            pooled = g.op("Div", List.of(sum, count));
        }
        String embedding = bert.pooling().normalize()
                ? g.opNamed("Div", "embedding", List.of(pooled, g.op("Max", List.of(g.op("ReduceL2", List.of(pooled),
                        OnnxGraph.Attr.ints("axes", 1), OnnxGraph.Attr.i("keepdims", 1)), g.scalar(1e-12f)))))
                : g.opNamed("Identity", "embedding", List.of(pooled));
        return embedding;
    }

    /** Standard ONNX self-attention: the three projections, scaled scores plus the padding bias, softmax, weighted values. */
    private static String attention(OnnxGraph g, Linear linear, String p, String x, String bias, String headShape,
            String mergedShape, String scale) {
        String q = g.op("Transpose", List.of(g.op("Reshape", List.of(linear.apply(p + "attention.self.query", x), headShape))),
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3));
        String k = g.op("Transpose", List.of(g.op("Reshape", List.of(linear.apply(p + "attention.self.key", x), headShape))),
                OnnxGraph.Attr.ints("perm", 0, 2, 3, 1));
        String v = g.op("Transpose", List.of(g.op("Reshape", List.of(linear.apply(p + "attention.self.value", x), headShape))),
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3));
        String scores = g.op("Add", List.of(g.op("Mul", List.of(g.op("MatMul", List.of(q, k)), scale)), bias));
        String attention = g.op("Softmax", List.of(scores), OnnxGraph.Attr.i("axis", -1));
        return g.op("Reshape", List.of(g.op("Transpose", List.of(g.op("MatMul", List.of(attention, v))),
                OnnxGraph.Attr.ints("perm", 0, 2, 1, 3)), mergedShape));
    }

    /**
     * ONNX Runtime's {@code Attention}: weights [in, 3·hidden] (query, key, value side by side),
     * bias [3·hidden], and the 0/1 attention mask as int32 (batch, sequence).
     */
    private static String fusedAttention(OnnxGraph g, Map<String, float[]> w, String p, String x, String mask32, BertConfig c,
            int int8Limit) {
        int h = c.hidden();
        String[] roles = {"query", "key", "value"};
        float[] stacked = new float[3 * h * h];  // [3·hidden, in]: the three [out, in] weights, one under the other
        float[] bias = new float[3 * h];
        for (int r = 0; r < 3; r++) {
            String prefix = p + "attention.self." + roles[r];
            System.arraycopy(w.get(prefix + ".weight"), 0, stacked, r * h * h, h * h);
            System.arraycopy(w.get(prefix + ".bias"), 0, bias, r * h, h);
        }
        String qkvBias = g.floats(p + "attention.self.qkv.bias", new long[] {3L * h}, bias);
        if (int8Limit > 0) {
            Int8Weights q = Int8Weights.ofLinear(stacked, 3 * h, h, int8Limit);
            List<String> quantised = g.opOutputs("DynamicQuantizeLinear", 3, List.of(x));
            return g.onnxRuntimeOp("QAttention", List.of(quantised.get(0),
                    g.int8s(p + "attention.self.qkv.weight_int8", new long[] {h, 3L * h}, q.values()), qkvBias,
                    quantised.get(1), g.floats(p + "attention.self.qkv.weight_scale", new long[] {3L * h}, q.scales()),
                    mask32, quantised.get(2)), OnnxGraph.Attr.i("num_heads", c.heads()));
        }
        float[] weights = Matrices.transpose(stacked, 3 * h, h);
        return g.onnxRuntimeOp("Attention", List.of(x, g.floats(p + "attention.self.qkv.weight", new long[] {h, 3L * h}, weights),
                qkvBias, mask32), OnnxGraph.Attr.i("num_heads", c.heads()));
    }

    /**
     * The rows of an int8 embedding table (one scale per row, symmetric) picked by {@code input_ids}
     * and multiplied back to floats: the vocabulary is most of a small encoder's weights.
     */
    private static String int8Rows(OnnxGraph g, Map<String, float[]> w, Map<String, long[]> shapes, String name) {
        long[] shape = shapes.get(name);
        int rows = (int) shape[0];
        int width = (int) shape[1];
        Int8Weights q = Int8Weights.ofLinear(w.get(name), rows, width, 127);
        // ofLinear quantises per output row and transposes; transpose back to [rows, width]
        byte[] table = new byte[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                table[r * width + c] = q.values()[c * rows + r];
            }
        }
        String picked = g.op("Gather", List.of(g.int8s(name + "_int8", shape, table), "input_ids"));
        String scales = g.op("Gather", List.of(g.floats(name + "_scale", new long[] {rows, 1}, q.scales()), "input_ids"));
        return g.op("Mul", List.of(g.op("Cast", List.of(picked), OnnxGraph.Attr.i("to", OnnxGraph.FLOAT)), scales));
    }

    private static String table(OnnxGraph g, Map<String, float[]> w, Map<String, long[]> shapes, String name) {
        return g.floats(name, shapes.get(name), w.get(name));
    }

    /** x · Wᵀ + b with W stored [out, in]: in float32, or with int8 weights when {@code int8Limit > 0}. */
    private record Linear(OnnxGraph g, Map<String, float[]> w, int int8Limit) {
        String apply(String prefix, String x) {
            float[] weight = w.get(prefix + ".weight");
            float[] bias = w.get(prefix + ".bias");
            int out = bias.length;
            int in = weight.length / out;
            String b = g.floats(prefix + ".bias", new long[] {out}, bias);
            if (int8Limit > 0) {
                Int8Weights q = Int8Weights.ofLinear(weight, out, in, int8Limit);
                return g.onnxRuntimeOp("DynamicQuantizeMatMul", List.of(x,
                        g.int8s(prefix + ".weight_int8", new long[] {in, out}, q.values()),
                        g.floats(prefix + ".weight_scale", new long[] {out}, q.scales()), "", b));
            }
            String t = g.floats(prefix + ".weight_t", new long[] {in, out}, Matrices.transpose(weight, out, in));
            return g.op("Add", List.of(g.op("MatMul", List.of(x, t)), b));
        }
    }

    private static String layerNorm(OnnxGraph g, Map<String, float[]> w, String prefix, String x, float eps) {
        float[] gamma = w.get(prefix + ".weight");
        return g.op("LayerNormalization", List.of(x, g.floats(prefix + ".weight", new long[] {gamma.length}, gamma),
                g.floats(prefix + ".bias", new long[] {gamma.length}, w.get(prefix + ".bias"))),
                OnnxGraph.Attr.i("axis", -1), OnnxGraph.Attr.f("epsilon", eps));
    }
}
