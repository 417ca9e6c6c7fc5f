package dev.graft.audit;

import dev.graft.FitListener;
import dev.graft.Graft;
import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.advise.LinearProbe;
import dev.graft.train.HeadSelection;
import dev.graft.train.HeadSpec;
import dev.graft.train.HeadTrainingConfig;
import dev.graft.backbone.Backbone;
import dev.graft.backbone.Backbones;
import dev.graft.data.DatasetValidator;
import dev.graft.data.Duplicates;
import dev.graft.data.LabelEncoder;
import dev.graft.data.TextDataset;
import dev.graft.data.TextLoadOptions;
import dev.graft.data.TextLoader;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.FeatureCache;
import dev.graft.train.FeatureExtractor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks for label and data problems on frozen features, without training the backbone: suspect
 * labels from a k-fold linear probe, exact and near duplicates, train/test overlap, outliers,
 * near-empty and truncated inputs, and what removing the suspects does to the probe.
 */
public final class Auditor {

    /** Texts with at most this many tokens (special tokens excluded) count as near-empty. */
    public static final int NEAR_EMPTY_TOKENS = 2;
    /** Examples whose best class-centroid cosine is this many standard deviations below the mean are outliers. */
    public static final double OUTLIER_SIGMAS = 3;
    /** Above this many examples, near duplicates are searched among a seeded sample of this size. */
    public static final int NEAR_DUPLICATE_LIMIT = 20_000;

    /**
     * What to audit.
     *
     * @param data labelled data
     * @param test optional test file, checked for overlap with {@code data} and used to score the probe
     * @param options columns
     * @param backbone backbone id
     * @param maxLength truncation length in tokens
     * @param folds folds of the out-of-fold probe
     * @param nearThreshold cosine of frozen features at which two texts are near duplicates
     * @param seed seeds folds and the validation split
     */
    public record Request(Path data, Path test, TextLoadOptions options, String backbone, int maxLength, int folds,
            double nearThreshold, long seed) {
        /**
         * Checks the number of folds (2 to 50) and the near-duplicate threshold (in (0, 1]).
         *
         * @param data labelled data
         * @param test optional test file, checked for overlap with {@code data} and used to score the probe
         * @param options columns
         * @param backbone backbone id
         * @param maxLength truncation length in tokens
         * @param folds folds of the out-of-fold probe
         * @param nearThreshold cosine of frozen features at which two texts are near duplicates
         * @param seed seeds folds and the validation split
         */
        public Request {
            if (folds < 2 || folds > 50) {
                throw new GraftException(Parameter.FOLDS, folds, "is out of range; use 2 to 50 (5 is usual)");
            }
            if (!(nearThreshold > 0 && nearThreshold <= 1)) {
                throw new GraftException(Parameter.NEAR_DUPLICATE_THRESHOLD, nearThreshold, "is a cosine similarity; use a number in (0, 1], e.g. 0.98");
            }
        }
    }

    private Auditor() {}

    /**
     * Audits a dataset: suspect labels, near duplicates, outliers and input problems.
     *
     * @param request what to audit
     * @param listener hears progress
     * @return the findings
     */
    public static Audit audit(Request request, FitListener listener) {
        long start = System.nanoTime();
        TextDataset data = TextLoader.load(request.data(), request.options());
        DatasetValidator.check(data, request.options().labelColumn());
        TextDataset test = request.test() == null ? null : TextLoader.load(request.test(), request.options());
        LabelEncoder labels = LabelEncoder.fit(data.labels());
        int[] y = labels.encodeAll(data);
        List<String> texts = data.texts();

        try (Backbone backbone = Backbones.load(request.backbone(), request.maxLength());
                FeatureCache cache = FeatureCache.open(dev.graft.GraftCache.features(), backbone)) {
            FeatureExtractor extractor = new FeatureExtractor(backbone, cache, 32);
            float[][] x = extractor.extract(texts, listener.progress());
            float[][] testX = test == null ? null : extractor.extract(test.texts(), listener.progress());

            // the probe is the head graft fit would choose: the better it fits, the fewer honest rows look suspect
            HeadSelection.Options probe = new HeadSelection.Options(HeadSelection.Search.ALL, HeadSpec.defaults().hidden(),
                    request.folds(), HeadSelection.Options.defaults().gridSize(), HeadTrainingConfig.defaults().withSeed(request.seed()));
            float[][] oof = HeadSelection.select(x, y, labels.size(), null, probe, listener::info).outOfFold();
            SuspectLabels.Result suspects = SuspectLabels.find(oof, y, labels.size());

            listener.info("duplicates and outliers");
            Duplicates exact = Duplicates.of(data);
            NearDuplicateSummary near = nearDuplicates(texts, y, x, request.nearThreshold(), request.seed());
            Audit.Overlap overlap = test == null ? null : overlap(texts, x, test.texts(), testX, request.nearThreshold());
            List<Audit.Outlier> outliers = outliers(x, y, labels.size());

            int nearEmpty = 0;
            int truncated = 0;
            List<Integer> lost = new ArrayList<>();
            for (String t : texts) {
                int tokens = backbone.tokenCount(t);
                if (tokens - 2 <= NEAR_EMPTY_TOKENS) {
                    nearEmpty++;
                }
                if (tokens > request.maxLength()) {
                    truncated++;
                    lost.add(tokens - request.maxLength());
                }
            }
            Audit.Inputs inputs = new Audit.Inputs(data.blankSkipped(), nearEmpty, truncated, median(lost),
                    lost.stream().mapToInt(Integer::intValue).max().orElse(0), lost.stream().mapToLong(Integer::longValue).sum());

            listener.info("re-running the probe without the suspects");
            Audit.Fix fix = fix(x, y, testX, test, labels, suspects.suspects(), request.seed());
            return new Audit(request.data(), texts, data.examples().stream().map(dev.graft.data.TextExample::label).toList(), labels.labels(), request.folds(), suspects, exact,
                    near.pairs(), near.conflicting(), near.searched(), request.nearThreshold(), overlap, outliers,
                    inputs, fix, (System.nanoTime() - start) / 1e9);
        }
    }

    private record NearDuplicateSummary(int pairs, int conflicting, int searched) {}

    private static NearDuplicateSummary nearDuplicates(List<String> texts, int[] y, float[][] x, double threshold,
            long seed) {
        int[] rows = sample(x.length, NEAR_DUPLICATE_LIMIT, seed);
        float[][] searched = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            searched[i] = x[rows[i]];
        }
        int pairs = 0;
        int conflicting = 0;
        for (NearDuplicates.Pair p : NearDuplicates.within(searched, threshold)) {
            int a = rows[p.a()];
            int b = rows[p.b()];
            if (Duplicates.normalise(texts.get(a)).equals(Duplicates.normalise(texts.get(b)))) {
                continue;
            }
            pairs++;
            conflicting += y[a] != y[b] ? 1 : 0;
        }
        return new NearDuplicateSummary(pairs, conflicting, rows.length);
    }

    private static Audit.Overlap overlap(List<String> train, float[][] x, List<String> test, float[][] testX,
            double threshold) {
        Set<String> seen = new HashSet<>();
        for (String t : train) {
            seen.add(Duplicates.normalise(t));
        }
        int exact = 0;
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            if (seen.contains(Duplicates.normalise(test.get(i)))) {
                exact++;
            } else {
                rest.add(i);
            }
        }
        float[][] queries = new float[rest.size()][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = testX[rest.get(i)];
        }
        int near = NearDuplicates.across(queries, x, threshold).size();
        return new Audit.Overlap(test.size(), exact, near);
    }

    private static List<Audit.Outlier> outliers(float[][] x, int[] y, int classes) {
        float[][] u = NearDuplicates.unit(x);
        int d = u[0].length;
        float[][] centroid = new float[classes][d];
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < d; j++) {
                centroid[y[i]][j] += u[i][j];
            }
        }
        centroid = NearDuplicates.unit(centroid);
        double[] best = new double[u.length];
        double mean = 0;
        for (int i = 0; i < u.length; i++) {
            best[i] = Double.NEGATIVE_INFINITY;
            for (float[] c : centroid) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += u[i][j] * c[j];
                }
                best[i] = Math.max(best[i], s);
            }
            mean += best[i];
        }
        mean /= u.length;
        double var = 0;
        for (double b : best) {
            var += (b - mean) * (b - mean);
        }
        double cut = mean - OUTLIER_SIGMAS * Math.sqrt(var / u.length);
        List<Audit.Outlier> out = new ArrayList<>();
        for (int i = 0; i < u.length; i++) {
            if (best[i] < cut) {
                out.add(new Audit.Outlier(i, best[i], cut));
            }
        }
        out.sort((a, b) -> Double.compare(a.cosine(), b.cosine()));
        return out;
    }

    /** The probe on a seeded 80/20 split of the data, with and without the suspects in its 80 %. */
    private static Audit.Fix fix(float[][] x, int[] y, float[][] testX, TextDataset test, LabelEncoder labels,
            List<SuspectLabels.Suspect> suspects, long seed) {
        int[] fold = foldOf(y, labels.size(), seed);
        Set<Integer> suspect = new HashSet<>();
        for (SuspectLabels.Suspect s : suspects) {
            suspect.add(s.index());
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> cleaned = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (fold[i] == 0) {
                validation.add(i);
            } else {
                train.add(i);
                if (!suspect.contains(i)) {
                    cleaned.add(i);
                }
            }
        }
        int[] testY = null;
        float[][] scoredTest = null;
        if (test != null) {
            List<Integer> known = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                if (labels.labels().contains(test.examples().get(i).label())) {
                    known.add(i);
                }
            }
            testY = new int[known.size()];
            scoredTest = new float[known.size()][];
            for (int i = 0; i < testY.length; i++) {
                testY[i] = labels.encode(test.examples().get(known.get(i)).label());
                scoredTest[i] = testX[known.get(i)];
            }
        }
        double[] before = score(x, y, train, validation, scoredTest, testY, labels);
        double[] after = score(x, y, cleaned, validation, scoredTest, testY, labels);
        return new Audit.Fix(train.size() - cleaned.size(), validation.size(), before[0], after[0],
                test == null ? Double.NaN : before[1], test == null ? Double.NaN : after[1]);
    }

    private static double[] score(float[][] x, int[] y, List<Integer> train, List<Integer> validation, float[][] testX,
            int[] testY, LabelEncoder labels) {
        LinearProbe probe = LinearProbe.fit(rows(x, train), pick(y, train), labels.size());
        double v = ClassificationMetrics.compute(pick(y, validation), probe.predict(rows(x, validation)), labels.labels())
                .macroF1();
        double t = testX == null || testY.length == 0 ? Double.NaN
                : ClassificationMetrics.compute(testY, probe.predict(testX), labels.labels()).macroF1();
        return new double[] {v, t};
    }

    /** Fold 0 (a stratified fifth) is the validation part. */
    private static int[] foldOf(int[] y, int classes, long seed) {
        Map<Integer, List<Integer>> byClass = new HashMap<>();
        for (int i = 0; i < y.length; i++) {
            byClass.computeIfAbsent(y[i], k -> new ArrayList<>()).add(i);
        }
        int[] fold = new int[y.length];
        java.util.Random random = new java.util.Random(seed + 1);
        for (int k = 0; k < classes; k++) {
            List<Integer> members = byClass.getOrDefault(k, List.of());
            List<Integer> shuffled = new ArrayList<>(members);
            java.util.Collections.shuffle(shuffled, random);
            for (int i = 0; i < shuffled.size(); i++) {
                fold[shuffled.get(i)] = i % 5;
            }
        }
        return fold;
    }

    private static int[] sample(int n, int limit, long seed) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        if (n > limit) {
            java.util.Collections.shuffle(all, new java.util.Random(seed));
            all = new ArrayList<>(all.subList(0, limit));
            java.util.Collections.sort(all);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[][] rows(float[][] x, List<Integer> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[rows.get(i)];
        }
        return out;
    }

    private static int[] pick(int[] y, List<Integer> rows) {
        return rows.stream().mapToInt(r -> y[r]).toArray();
    }

    private static int median(List<Integer> values) {
        if (values.isEmpty()) {
            return 0;
        }
        int[] sorted = values.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}
