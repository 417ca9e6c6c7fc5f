package dev.graft.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.graft.backbone.text.MiniLm;
import java.io.ByteArrayInputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The peer of {@code graft fit --strategy feature-extraction}: the same job written the way a Java
 * team writes it without Graft. DJL's Hugging Face tokenizer (truncation to 128 tokens, batches of
 * 32 in file order padded to their longest text), the published all-MiniLM-L6-v2 ONNX graph on ONNX
 * Runtime, mean pooling and L2 normalisation in Java, standardised features, and liblinear's
 * L2-regularised logistic regression (C = 1).
 *
 * <p>Usage: {@code OnnxLogisticPipeline TRAIN.jsonl TEST.jsonl}; prints a {@code RESULT} JSON line.
 */
public final class OnnxLogisticPipeline {

    private static final int BATCH = 32;

    private OnnxLogisticPipeline() {}

    record Example(String text, String label) {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        List<Example> train = read(Path.of(args[0]));
        List<Example> test = read(Path.of(args[1]));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(MiniLm.tokenizerJson()),
                        Map.of("truncation", "true", "padding", "true", "maxLength", "128"));
                OrtSession session = env.createSession(MiniLm.onnxBytes(), new OrtSession.SessionOptions())) {
            long featuresStart = System.nanoTime();
            float[][] trainX = embed(env, session, tokenizer, train);
            float[][] testX = embed(env, session, tokenizer, test);
            double featureSeconds = (System.nanoTime() - featuresStart) / 1e9;

            Map<String, Integer> labels = new TreeMap<>();
            train.forEach(e -> labels.putIfAbsent(e.label(), 0));
            int next = 0;
            for (Map.Entry<String, Integer> e : labels.entrySet()) {
                e.setValue(next++);
            }
            double[][] scaling = scaling(trainX);
            long fitStart = System.nanoTime();
            Problem problem = new Problem();
            problem.l = trainX.length;
            problem.n = trainX[0].length;
            problem.x = new Feature[trainX.length][];
            problem.y = new double[trainX.length];
            for (int i = 0; i < trainX.length; i++) {
                problem.x[i] = features(trainX[i], scaling);
                problem.y[i] = labels.get(train.get(i).label());
            }
            Linear.disableDebugOutput();
            Model model = Linear.train(problem, new Parameter(SolverType.L2R_LR, 1.0, 0.01));
            double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
            int correct = 0;
            for (int i = 0; i < testX.length; i++) {
                Integer truth = labels.get(test.get(i).label());
                correct += truth != null && Linear.predict(model, features(testX[i], scaling)) == truth ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT, "RESULT {\"train\":%d,\"test\":%d,\"accuracy\":%.4f,"
                    + "\"features_seconds\":%.2f,\"fit_seconds\":%.2f,\"seconds\":%.2f}",
                    train.size(), test.size(), correct / (double) test.size(), featureSeconds, fitSeconds, seconds));
        }
    }

    private static List<Example> read(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                out.add(new Example(n.get("text").asText(), n.get("label").asText()));
            }
        }
        return out;
    }

    private static float[][] embed(OrtEnvironment env, OrtSession session, HuggingFaceTokenizer tokenizer,
            List<Example> examples) throws Exception {
        float[][] out = new float[examples.size()][];
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<String> texts = new ArrayList<>();
            for (Example e : examples.subList(from, Math.min(examples.size(), from + BATCH))) {
                texts.add(e.text());
            }
            Encoding[] encodings = tokenizer.batchEncode(texts);
            int length = encodings[0].getIds().length;
            long[] ids = new long[texts.size() * length];
            long[] mask = new long[ids.length];
            for (int i = 0; i < encodings.length; i++) {
                System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
                System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
            }
            long[] shape = {texts.size(), length};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                for (int b = 0; b < texts.size(); b++) {
                    out[from + b] = meanPool(hidden[b], mask, b * length);
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
        return out;
    }

    private static float[] meanPool(float[][] hidden, long[] mask, int offset) {
        float[] v = new float[hidden[0].length];
        int count = 0;
        for (int t = 0; t < hidden.length; t++) {
            if (mask[offset + t] != 0) {
                count++;
                for (int d = 0; d < v.length; d++) {
                    v[d] += hidden[t][d];
                }
            }
        }
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] /= Math.max(count, 1);
            norm += v[d] * v[d];
        }
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) Math.max(Math.sqrt(norm), 1e-12);
        }
        return v;
    }

    /** @return per-dimension mean and standard deviation of the training features */
    private static double[][] scaling(float[][] x) {
        int n = x[0].length;
        double[] mean = new double[n];
        double[] sd = new double[n];
        for (float[] row : x) {
            for (int d = 0; d < n; d++) {
                mean[d] += row[d] / x.length;
            }
        }
        for (float[] row : x) {
            for (int d = 0; d < n; d++) {
                sd[d] += (row[d] - mean[d]) * (row[d] - mean[d]) / x.length;
            }
        }
        for (int d = 0; d < n; d++) {
            sd[d] = Math.max(Math.sqrt(sd[d]), 1e-6);
        }
        return new double[][] {mean, sd};
    }

    private static Feature[] features(float[] row, double[][] scaling) {
        Feature[] f = new Feature[row.length];
        for (int d = 0; d < row.length; d++) {
            f[d] = new FeatureNode(d + 1, (row[d] - scaling[0][d]) / scaling[1][d]);
        }
        return f;
    }
}
