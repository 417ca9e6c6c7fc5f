package dev.graft.bench;

import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.MiniLm;
import dev.graft.io.Safetensors;
import dev.graft.train.EpochRecord;
import dev.graft.train.FeatureScaler;
import dev.graft.train.FineTuner;
import dev.graft.train.HeadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tuning steps of Graft's {@link FineTuner} on MiniLM, batch 16, every text 128 tokens:
 * {@code full}, and {@code partial:2} with the freeze-boundary cache (Graft's default) and without
 * it (the frozen layers recomputed every step, as a plain training loop does). Also writes
 * MiniLM's weights as safetensors (Hugging Face names) for the PyTorch peer
 * ({@code bench/peers/torch_step.py}).
 *
 * <p>Usage: {@code StepBenchmark OUT_DIR [steps=12] [rounds=3]}; the last line is {@code RESULT {json}}.
 */
public final class StepBenchmark {

    static final int BATCH = 16;
    static final int LENGTH = 128;

    private StepBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Files.createDirectories(out);
        List<String> train = texts(BATCH * steps, 1);
        List<String> validation = texts(BATCH, 2);
        int[] labels = new int[train.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        int[] validationLabels = Arrays.copyOf(labels, BATCH);
        try (BertBackbone backbone = MiniLm.load(LENGTH)) {
            writeWeights(backbone, out.resolve("minilm.safetensors"));
            System.out.printf(Locale.ROOT, "%d steps of batch %d x %d tokens (token counts %d..%d), %d cores%n", steps, BATCH, LENGTH,
                    train.stream().mapToInt(backbone::tokenCount).min().orElse(0),
                    train.stream().mapToInt(backbone::tokenCount).max().orElse(0), Runtime.getRuntime().availableProcessors());
        }
        Map<String, double[]> seconds = new LinkedHashMap<>();
        seconds.put("full", new double[rounds]);
        seconds.put("partial2_cached", new double[rounds]);
        seconds.put("partial2_recomputed", new double[rounds]);
        for (int r = 0; r < rounds; r++) {
            seconds.get("full")[r] = stepSeconds("full", true, train, labels, validation, validationLabels, steps);
            seconds.get("partial2_cached")[r] = stepSeconds("partial:2", true, train, labels, validation, validationLabels, steps);
            seconds.get("partial2_recomputed")[r] = stepSeconds("partial:2", false, train, labels, validation, validationLabels, steps);
            System.out.printf(Locale.ROOT, "round %d: full %.3f s/step, partial:2 %.3f s/step cached, %.3f s/step recomputed%n", r + 1,
                    seconds.get("full")[r], seconds.get("partial2_cached")[r], seconds.get("partial2_recomputed")[r]);
        }
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"suite\":\"finetune\",\"engine\":\"graft\",\"batch\":%d,\"length\":%d,\"steps\":%d", BATCH, LENGTH, steps));
        Map<String, Double> flops = Map.of("full", BertFlops.trainStep(BATCH, LENGTH, 6, false),
                "partial2_cached", BertFlops.trainStep(BATCH, LENGTH, 2, false),
                "partial2_recomputed", BertFlops.trainStep(BATCH, LENGTH, 2, true));
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            double[] s = e.getValue().clone();
            Arrays.sort(s);
            json.append(String.format(Locale.ROOT, ",\"%s\":{\"median\":%.4f,\"min\":%.4f,\"max\":%.4f,\"flops\":%.4e}", e.getKey(),
                    s[s.length / 2], s[0], s[s.length - 1], flops.get(e.getKey())));
        }
        System.out.println("RESULT " + json + "}");
    }

    /** @return seconds per training step of one epoch (the epoch's time less one validation batch) */
    static double stepSeconds(String strategy, boolean cache, List<String> train, int[] labels, List<String> validation,
            int[] validationLabels, int steps) {
        try (BertBackbone backbone = MiniLm.load(LENGTH)) {
            float[][] pooled = backbone.extractFeatures(validation);
            long v0 = System.nanoTime();
            backbone.extractFeatures(validation);
            double validationSeconds = (System.nanoTime() - v0) / 1e9;
            TrainingOptions o = TrainingOptions.defaults().toBuilder().learningRate(1e-4).headStage(0, 10).epochs(1).patience(1).batchSize(BATCH).backboneDropout(0.1).build();
            FineTunePlan plan = Strategy.parse(strategy).plan(backbone, o);
            FineTuner.Result result = new FineTuner(backbone, plan, HeadSpec.defaults(), FeatureScaler.fit(pooled), 2, 1, null, null)
                    .boundaryCache(cache).run(new FineTuner.Examples(train, labels), new FineTuner.Examples(validation, validationLabels),
                            null, null, new FineTuner.Listener() {});
            EpochRecord epoch = result.history().get(result.history().size() - 1);
            return Math.max(0, epoch.seconds() - validationSeconds) / steps;
        }
    }

    /** Texts of at least {@link #LENGTH} tokens: random common words. */
    static List<String> texts(int n, long seed) {
        String[] words = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
                + "word but not what all were we when your can said there use an each which she do how their if will up other about "
                + "out many then them these so some her would make like him into time has look two more write go see number no way "
                + "could people my than first water been call who oil its now find long down day did get come made may part").split(" ");
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder t = new StringBuilder();
            for (int w = 0; w < 160; w++) {
                t.append(words[random.nextInt(words.length)]).append(' ');
            }
            out.add(t.toString().strip());
        }
        return out;
    }

    static void writeWeights(BertBackbone backbone, Path file) throws Exception {
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int g = 0; g < backbone.groupCount(); g++) {
            backbone.parameters(g).forEach((name, p) -> {
                data.put(name, p.getArray().toFloatArray());
                shapes.put(name, p.getArray().getShape().getShape());
            });
        }
        Safetensors.write(file, data, shapes, Map.of("source", "Graft MiniLM (all-MiniLM-L6-v2)"));
    }
}
