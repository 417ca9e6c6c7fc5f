package dev.graft.bench;

import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.text.BertBackbone;
import dev.graft.backbone.text.MiniLm;
import dev.graft.train.FeatureScaler;
import dev.graft.train.FineTuner;
import dev.graft.train.HeadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One training epoch on SpamAssassin texts, in one process: {@code partial:2} with the
 * freeze-boundary cache and without it (alternating), and {@code full}; batch 16, 128 tokens.
 *
 * <p>Usage: {@code FineTuneBenchmark JSONL [texts=512] [rounds=2]}
 */
public final class FineTuneBenchmark {

    private FineTuneBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path jsonl = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<String[]> rows = ScalingBenchmark.rows(jsonl);
        Collections.shuffle(rows, new Random(3));
        List<String> texts = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            texts.add(rows.get(i)[0]);
            labels[i] = rows.get(i)[1].equals("spam") ? 1 : 0;
        }
        List<String> validation = new ArrayList<>();
        int[] validationLabels = new int[64];
        for (int i = 0; i < 64; i++) {
            validation.add(rows.get(n + i)[0]);
            validationLabels[i] = rows.get(n + i)[1].equals("spam") ? 1 : 0;
        }
        System.out.printf("%d training texts, 64 validation texts, batch 16, max length 128, %d cores%n", n,
                Runtime.getRuntime().availableProcessors());
        double[] cached = new double[rounds];
        double[] uncached = new double[rounds];
        double[] full = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            cached[r] = epoch("partial:2", true, texts, labels, validation, validationLabels);
            uncached[r] = epoch("partial:2", false, texts, labels, validation, validationLabels);
            full[r] = epoch("full", true, texts, labels, validation, validationLabels);
            System.out.printf("round %d: partial:2 epoch %.1f s with the boundary cache, %.1f s without (ratio %.2f); full epoch %.1f s (%.1f samples/s)%n",
                    r + 1, cached[r], uncached[r], cached[r] / uncached[r], full[r], n / full[r]);
        }
        System.out.printf("median: partial:2 %.1f s cached vs %.1f s uncached, ratio %.2f; full %.1f s per epoch, %.1f samples/s (epoch = training + validation)%n",
                median(cached), median(uncached), median(cached) / median(uncached), median(full), n / median(full));
    }

    private static double epoch(String strategy, boolean cache, List<String> texts, int[] labels, List<String> validation,
            int[] validationLabels) {
        try (BertBackbone backbone = MiniLm.load(128)) {
            float[][] pooled = backbone.extractFeatures(texts.subList(0, 64));
            TrainingOptions o = TrainingOptions.defaults().toBuilder().headStage(0, 10).epochs(1).patience(1).batchSize(16).backboneDropout(0.1).build();
            FineTunePlan plan = Strategy.parse(strategy).plan(backbone, o);
            long t0 = System.nanoTime();
            FineTuner.Result result = new FineTuner(backbone, plan, HeadSpec.defaults(), FeatureScaler.fit(pooled), 2, 1,
                    null, null).boundaryCache(cache).run(new FineTuner.Examples(texts, labels),
                    new FineTuner.Examples(validation, validationLabels), null, null, new FineTuner.Listener() {});
            double total = (System.nanoTime() - t0) / 1e9;
            double epoch = result.history().get(0).seconds();
            System.out.printf("  %s %s: epoch %.1f s, run %.1f s (cache build and setup %.1f s)%n", strategy,
                    cache ? "cached" : "uncached", epoch, total, total - epoch);
            return epoch;
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
