package dev.graft.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.graft.io.ProtoWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The int8 matrix-multiply ceiling on ONNX Runtime's CPU kernels, the ones Graft's int8 encoder uses:
 * one {@code DynamicQuantizeMatMul} (float32 activations quantised to uint8 on the fly, int8 weights
 * with per-column scales) against one float32 {@code MatMul} of the same shape in the same session
 * options (all graph optimisations, the given intra-op threads), alternating, per round. Shapes: MiniLM's
 * feed-forward (4096×384 by 384×1536) and a square 2048.
 *
 * <p>Usage: {@code Int8MatmulCeiling [rounds=7] [threads=2]}; the last line is {@code RESULT {json}}.
 */
public final class Int8MatmulCeiling {

    private Int8MatmulCeiling() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        StringBuilder json = new StringBuilder("{\"suite\":\"int8-ceiling\",\"threads\":" + threads);
        for (int[] mkn : new int[][] {{4096, 384, 1536}, {2048, 2048, 2048}}) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            Random random = new Random(1);
            float[] a = new float[m * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(threads);
                try (OrtSession int8 = env.createSession(model(k, n, true, random), options);
                        OrtSession fp32 = env.createSession(model(k, n, false, random), options);
                        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {m, k})) {
                    double[] q = new double[rounds];
                    double[] f = new double[rounds];
                    run(int8, input);
                    run(fp32, input);
                    for (int r = 0; r < rounds; r++) {
                        q[r] = 2.0 * m * k * n / run(int8, input) / 1e9;
                        f[r] = 2.0 * m * k * n / run(fp32, input) / 1e9;
                    }
                    String name = m + "x" + k + "x" + n;
                    System.out.printf(Locale.ROOT, "%s: int8 %.1f GOP/s (%.1f–%.1f), fp32 %.1f GFLOP/s (%.1f–%.1f), %.2f×%n", name,
                            median(q), min(q), max(q), median(f), min(f), max(f), median(q) / median(f));
                    json.append(String.format(Locale.ROOT, ",\"int8_%s\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
                            + "\"fp32_%s\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f}", name, median(q), min(q), max(q),
                            name, median(f), min(f), max(f)));
                }
            }
        }
        System.out.println("RESULT " + json.append('}'));
    }

    /** @return seconds of one run */
    private static double run(OrtSession session, OnnxTensor input) throws Exception {
        long t0 = System.nanoTime();
        try (OrtSession.Result result = session.run(Map.of("a", input))) {
            result.get(0);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** One product: input {@code a} [m, k] times a constant [k, n], int8 or float32. */
    private static byte[] model(int k, int n, boolean int8, Random random) {
        ProtoWriter node = new ProtoWriter().string(1, "a").string(1, "b");
        ProtoWriter graph = new ProtoWriter();
        if (int8) {
            byte[] b = new byte[k * n];
            random.nextBytes(b);
            float[] scales = new float[n];
            Arrays.fill(scales, 0.01f);
            node.string(1, "b_scale").string(2, "y").string(3, "product").string(4, "DynamicQuantizeMatMul").string(7, "com.microsoft");
            graph.message(5, tensor("b", new long[] {k, n}, 3, b)).message(5, tensor("b_scale", new long[] {n}, 1, floats(scales)));
        } else {
            float[] b = new float[k * n];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
            }
            node.string(2, "y").string(3, "product").string(4, "MatMul");
            graph.message(5, tensor("b", new long[] {k, n}, 1, floats(b)));
        }
        graph.message(1, node).string(2, "matmul").message(11, valueInfo("a", "m", (long) k)).message(12, valueInfo("y", "m", (long) n));
        ProtoWriter model = new ProtoWriter().varint(1, 8).string(2, "graft-bench").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 17));
        if (int8) {
            model.message(8, new ProtoWriter().string(1, "com.microsoft").varint(2, 1));
        }
        return model.toByteArray();
    }

    private static ProtoWriter tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, type).string(8, name).bytes(9, raw);
    }

    private static byte[] floats(float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return raw.array();
    }

    private static ProtoWriter valueInfo(String name, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            shape.message(1, d instanceof String s ? new ProtoWriter().string(2, s) : new ProtoWriter().varint(1, (Long) d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, 1).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(0);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(0);
    }
}
