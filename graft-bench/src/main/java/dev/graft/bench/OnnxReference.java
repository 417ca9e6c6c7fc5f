package dev.graft.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graft.backbone.text.TextTokenizer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime on a published MiniLM graph as a Java user runs it (default session options, mean
 * pooling and L2 normalisation in Java): the peer of {@link FeatureThroughputBenchmark}. A copy of
 * the embedding half of graft-core's test {@code OnnxReference}, which its parity tests keep.
 */
final class OnnxReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxReference(byte[] model) throws OrtException {
        session = env.createSession(model, new OrtSession.SessionOptions());
    }

    /**
     * @param model the graph
     * @param threads intra-op threads, as Graft's frozen engine sets them (ONNX Runtime's default
     *     took one thread on the 2-core machines measured)
     */
    OnnxReference(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            session = env.createSession(model, options);
        }
    }

    /** @return mean-pooled, L2-normalised embeddings of the batch */
    float[][] embed(TextTokenizer.Batch batch) throws OrtException {
        long[] shape = {batch.size(), batch.length()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch.ids().length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return pool((float[][][]) result.get(0).getValue(), batch);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] pool(float[][][] hidden, TextTokenizer.Batch batch) {
        int width = hidden[0][0].length;
        float[][] out = new float[batch.size()][width];
        for (int b = 0; b < batch.size(); b++) {
            double count = 0;
            double[] sum = new double[width];
            for (int t = 0; t < batch.length(); t++) {
                if (batch.mask()[b * batch.length() + t] != 0) {
                    count++;
                    for (int d = 0; d < width; d++) {
                        sum[d] += hidden[b][t][d];
                    }
                }
            }
            double norm = 0;
            for (int d = 0; d < width; d++) {
                sum[d] /= Math.max(count, 1e-9);
                norm += sum[d] * sum[d];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int d = 0; d < width; d++) {
                out[b][d] = (float) (sum[d] / norm);
            }
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
