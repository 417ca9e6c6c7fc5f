package dev.graft.backbone.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime running the same MiniLM file: the reference Graft's encoder must match. */
final class OnnxReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxReference(byte[] model) throws OrtException {
        session = env.createSession(model, new OrtSession.SessionOptions());
    }

    /** @return mean-pooled, L2-normalised embeddings of the batch */
    float[][] embed(TextTokenizer.Batch batch) throws OrtException {
        return pool(hidden(batch), batch);
    }

    /** @return the first token's hidden state, L2-normalised, per text of the batch */
    float[][] embedCls(TextTokenizer.Batch batch) throws OrtException {
        float[][][] hidden = hidden(batch);
        float[][] out = new float[batch.size()][];
        for (int b = 0; b < out.length; b++) {
            float[] v = hidden[b][0];
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            out[b] = new float[v.length];
            for (int d = 0; d < v.length; d++) {
                out[b][d] = (float) (v[d] / Math.max(Math.sqrt(norm), 1e-12));
            }
        }
        return out;
    }

    private float[][][] hidden(TextTokenizer.Batch batch) throws OrtException {
        long[] shape = {batch.size(), batch.length()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch.ids().length]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(0).getValue();
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    List<String> inputNames() {
        return List.copyOf(session.getInputNames());
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
