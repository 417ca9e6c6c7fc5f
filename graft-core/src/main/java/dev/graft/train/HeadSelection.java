package dev.graft.train;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Chooses the head for frozen features by stratified k-fold cross-validation, then refits it on
 * every row: a multinomial logistic regression over a log grid of L2 strengths (as scikit-learn's
 * {@code LogisticRegressionCV}) and the MLP head with a few dropout / weight-decay settings, each
 * scored by its mean out-of-fold macro-F1 (the mean log-loss breaks ties). The MLP's epoch count is
 * the one with the lowest mean out-of-fold log-loss, and the refit trains that many epochs. A
 * temperature fitted on the chosen candidate's out-of-fold logits calibrates the refitted head.
 */
public final class HeadSelection {

    /** Which heads compete. */
    public enum Search {
        /** Logistic regression and MLP. */
        ALL,
        /** Logistic regression only (its L2 strength still chosen by cross-validation). */
        LINEAR,
        /** The MLP only (its dropout and weight decay still chosen by cross-validation). */
        MLP;

        /**
         * Chooses which heads compete from a command-line head name.
         *
         * @param head {@code auto}, {@code linear}, {@code mlp} or {@code mlp:HIDDEN}
         * @return the heads that compete
         */
        public static Search forHead(String head) {
            HeadSpec spec = HeadSpec.parse(head);
            return head.strip().equals("auto") ? ALL : spec.hidden() == 0 ? LINEAR : MLP;
        }
    }

    /**
     * How heads are selected by cross-validation.
     *
     * @param search which heads compete
     * @param mlpHidden hidden width of the MLP candidates
     * @param folds number of stratified folds, at least 2
     * @param gridSize number of L2 strengths C, log-spaced from 1e-4 to 1e4
     * @param training batch size, learning rate, epoch budget, patience and seed of the MLP (its
     *     weight decay is replaced by each candidate's); the seed also deals the folds
     */
    public record Options(Search search, int mlpHidden, int folds, int gridSize, HeadTrainingConfig training) {

        /** Default folds. */
        public static final int FOLDS = 5;

        /**
         * Checks the number of folds (2 to 20) and that the L2 grid has at least 2 values.
         *
         * @param search which heads compete
         * @param mlpHidden hidden width of the MLP candidates
         * @param folds number of stratified folds, at least 2
         * @param gridSize number of L2 strengths C, log-spaced from 1e-4 to 1e4
         * @param training batch size, learning rate, epoch budget, patience and seed of the MLP (its
         *     weight decay is replaced by each candidate's); the seed also deals the folds
         */
        public Options {
            if (folds < 2 || folds > 20) {
                throw new GraftException("cross-validation folds " + folds + " is out of range; use 2 to 20");
            }
            if (gridSize < 2) {
                throw new GraftException("the L2 grid needs at least 2 values, not " + gridSize);
            }
        }

        /** {@return every head, 5 folds, 10 L2 strengths, the default MLP width and training settings} */
        public static Options defaults() {
            return new Options(Search.ALL, HeadSpec.defaults().hidden(), FOLDS, 10, HeadTrainingConfig.defaults());
        }

        /**
         * Returns a copy with another seed for the folds and the MLP.
         *
         * @param seed seeds the folds, initialisation and shuffling
         * @return a copy with this seed, other options unchanged
         */
        public Options withSeed(long seed) {
            return new Options(search, mlpHidden, folds, gridSize, training.withSeed(seed));
        }
    }

    /**
     * One candidate's cross-validated score.
     *
     * @param head {@code linear} or {@code mlp:HIDDEN}
     * @param setting its regularisation, e.g. {@code C=0.0774} or {@code dropout 0.5, weight decay 0.1}
     * @param meanMacroF1 mean over folds of the held-out fold's macro-F1
     * @param sdMacroF1 standard deviation of that over folds
     * @param meanLogLoss mean over folds of the held-out log-loss
     * @param epochs epochs the MLP trains (chosen by the folds), 0 for the linear head
     */
    public record Score(String head, String setting, double meanMacroF1, double sdMacroF1, double meanLogLoss,
            int epochs) {

        /** {@return the score as a JSON-friendly map} */
        public Map<String, Object> toJsonMap() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("head", head);
            out.put("setting", setting);
            out.put("cv_macro_f1", meanMacroF1);
            out.put("cv_macro_f1_sd", sdMacroF1);
            out.put("cv_log_loss", meanLogLoss);
            if (epochs > 0) {
                out.put("epochs", epochs);
            }
            return out;
        }
    }

    /**
     * The head selection's outcome: the chosen head and every candidate's score.
     *
     * @param head the chosen head refitted on every row, with its temperature
     * @param table every candidate's score, in the order tried
     * @param chosen the winning row of the table
     * @param outOfFold the chosen candidate's calibrated out-of-fold probabilities, one row per input row
     * @param temperature the temperature fitted on the out-of-fold logits
     * @param eceBefore expected calibration error of the out-of-fold probabilities before scaling
     * @param eceAfter the same after temperature scaling
     * @param history the refit's epochs (empty for the linear head)
     * @param seconds wall time of the whole selection, refit included
     */
    public record Result(TrainedHead head, List<Score> table, Score chosen, float[][] outOfFold, double temperature,
            double eceBefore, double eceAfter, List<EpochRecord> history, double seconds) {

        /** {@return the selection as a JSON-friendly map, for bundles and reports} */
        public Map<String, Object> toJsonMap() {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("chosen", chosen.toJsonMap());
            out.put("candidates", table.stream().map(Score::toJsonMap).toList());
            out.put("temperature", temperature);
            out.put("ece_before", eceBefore);
            out.put("ece_after", eceAfter);
            out.put("seconds", Math.round(seconds * 1000) / 1000.0);
            return out;
        }

        /** {@return the selection table, one line per candidate, the chosen one marked} */
        public String toTable() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  %-8s %-36s %-18s %s%n", "head", "setting",
                    "CV macro-F1", "CV log-loss"));
            for (Score s : table) {
                out.append(String.format(Locale.ROOT, "%s %-8s %-36s %.4f ± %.4f    %.4f%n", s == chosen ? "→" : " ",
                        s.head(), s.setting() + (s.epochs() > 0 ? ", " + s.epochs() + " epochs" : ""), s.meanMacroF1(),
                        s.sdMacroF1(), s.meanLogLoss()));
            }
            return out.toString().stripTrailing();
        }
    }

    /** A dropout and weight-decay setting of the MLP candidate. */
    private record MlpSetting(double dropout, double weightDecay) {}

    private static final List<MlpSetting> MLP_SETTINGS = List.of(new MlpSetting(0.2, 0.01), new MlpSetting(0.5, 0.1));

    /** The out-of-fold outcome of one candidate: a linear head's C, or an MLP setting. */
    private record Candidate(Score score, double[] logits, double c, MlpSetting mlp) {}

    private HeadSelection() {}

    /**
     * Scores every candidate head by cross-validation and refits the best on every row.
     *
     * @param x features, one row per example
     * @param y class of every row
     * @param classes number of classes
     * @param classWeights weight of each class in the loss, or null
     * @param options which heads, how many folds
     * @param log told what is tried and what won
     * @return the chosen head, refitted on every row and calibrated
     */
    public static Result select(float[][] x, int[] y, int classes, float[] classWeights, Options options,
            Consumer<String> log) {
        return select(x, y, classes, classWeights, options, log, new int[0]);
    }

    /**
     * Selection with augmented views: the rows after the originals are views of them, which train
     * in the fold of the row they copy and are never scored (an image and its flipped copy on both
     * sides of a fold would flatter every candidate).
     *
     * @param x features: the originals, then the views
     * @param y class of every row
     * @param classes number of classes
     * @param classWeights weight of each class in the loss, or null
     * @param options which heads, how many folds
     * @param log told what is tried and what won
     * @param viewOf for each view (the last {@code viewOf.length} rows), the index of its original
     * @return the chosen head, refitted on every row (views too) and calibrated; its out-of-fold
     *     predictions cover the originals
     */
    public static Result select(float[][] x, int[] y, int classes, float[] classWeights, Options options,
            Consumer<String> log, int[] viewOf) {
        long start = System.nanoTime();
        int originals = y.length - viewOf.length;
        int[] counts = new int[classes];
        for (int i = 0; i < originals; i++) {
            counts[y[i]]++;
        }
        int smallest = java.util.Arrays.stream(counts).filter(c -> c > 0).min().orElse(0);
        int folds = Math.min(options.folds(), smallest);
        if (folds < 2) {
            throw new GraftException("head selection needs at least 2 examples of every class for cross-validation; "
                    + "a class has " + smallest + "; add examples of it");
        }
        int[] fold = java.util.Arrays.copyOf(StratifiedFolds.assign(java.util.Arrays.copyOf(y, originals), classes, folds,
                options.training().seed()), y.length);
        for (int v = 0; v < viewOf.length; v++) {
            fold[originals + v] = folds + fold[viewOf[v]]; // trains with its original, never held out
        }
        double[] cs = LogisticRegression.defaultGrid(options.gridSize());
        log.accept(String.format(Locale.ROOT, "head selection: %d-fold cross-validation on %,d rows%s over %s", folds,
                originals, viewOf.length == 0 ? "" : String.format(Locale.ROOT, " (+ %,d augmented views that train with "
                        + "their originals)", viewOf.length), switch (options.search()) {
                    case ALL -> "logistic regression (" + cs.length + " L2 strengths) and mlp:" + options.mlpHidden()
                            + " (" + MLP_SETTINGS.size() + " settings)";
                    case LINEAR -> "logistic regression (" + cs.length + " L2 strengths)";
                    case MLP -> "mlp:" + options.mlpHidden() + " (" + MLP_SETTINGS.size() + " settings)";
                }));

        FeatureScaler scaler = FeatureScaler.fit(x);
        List<Candidate> candidates = new ArrayList<>();
        if (options.search() != Search.MLP) {
            candidates.addAll(linearCandidates(scaler, x, y, classes, classWeights, fold, folds, cs, log));
        }
        if (options.search() != Search.LINEAR) {
            long mlpStart = System.nanoTime();
            for (MlpSetting setting : MLP_SETTINGS) {
                candidates.add(mlpCandidate(x, y, classes, classWeights, fold, folds, options, setting));
            }
            log.accept(String.format(Locale.ROOT, "  mlp:%d: %d settings × %d folds in %.1f s", options.mlpHidden(),
                    MLP_SETTINGS.size(), folds, (System.nanoTime() - mlpStart) / 1e9));
        }
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            double gain = c.score().meanMacroF1() - best.score().meanMacroF1();
            if (gain > 1e-9 || (Math.abs(gain) <= 1e-9 && c.score().meanLogLoss() < best.score().meanLogLoss())) {
                best = c;
            }
        }
        Score chosen = best.score();

        double[] scoredLogits = java.util.Arrays.copyOf(best.logits(), originals * classes);
        int[] scoredY = java.util.Arrays.copyOf(y, originals);
        double temperature = Calibration.temperature(scoredLogits, scoredY, classes);
        float[][] raw = Calibration.probabilities(scoredLogits, classes, 1);
        float[][] calibrated = Calibration.probabilities(scoredLogits, classes, temperature);
        double eceBefore = Calibration.expectedCalibrationError(raw, scoredY);
        double eceAfter = Calibration.expectedCalibrationError(calibrated, scoredY);

        TrainedHead head;
        List<EpochRecord> history = List.of();
        if (best.mlp() == null) {
            head = refitLinear(scaler, x, y, classes, classWeights, cs, best.c());
        } else {
            MlpSetting setting = best.mlp();
            HeadTrainer.Result refit = HeadTrainer.trainEpochs(x, y, classes, HeadSpec.mlp(options.mlpHidden(), setting.dropout()),
                    mlpConfig(options, setting), classWeights, chosen.epochs(), e -> {});
            head = refit.head();
            history = refit.history();
        }
        List<Score> table = candidates.stream().map(Candidate::score).toList();
        Result result = new Result(head.withTemperature(temperature), table, chosen, calibrated, temperature, eceBefore,
                eceAfter, history, (System.nanoTime() - start) / 1e9);
        log.accept(result.toTable());
        log.accept(String.format(Locale.ROOT, "head: %s %s refitted on all %,d rows; temperature %.3f, "
                + "out-of-fold expected calibration error %.4f → %.4f (%.1f s)", chosen.head(), chosen.setting(), y.length,
                temperature, eceBefore, eceAfter, result.seconds()));
        return result;
    }

    /**
     * Walks the L2 path from the strongest penalty, every fold warm-started from its previous
     * solution, and stops once both the mean macro-F1 and the log-loss have worsened for two
     * strengths in a row: the weakly regularised end is where the solver works hardest and the
     * scores only fall.
     */
    private static List<Candidate> linearCandidates(FeatureScaler scaler, float[][] x, int[] y, int classes,
            float[] classWeights, int[] fold, int folds, double[] cs, Consumer<String> log) {
        long start = System.nanoTime();
        int d = scaler.dimension();
        double[] z = standardised(scaler, x);
        record FoldPath(int[] heldRows, LogisticRegression model, double[] heldZ, double[] theta) {}
        List<FoldPath> paths = IntStream.range(0, folds).mapToObj(f -> {
            int[] trainRows = rows(fold, folds, f, false);
            int[] heldRows = rows(fold, folds, f, true);
            LogisticRegression model = new LogisticRegression(gather(z, trainRows, d), d, labels(y, trainRows),
                    sampleWeights(y, trainRows, classWeights), classes);
            return new FoldPath(heldRows, model, gather(z, heldRows, d), model.zero());
        }).toList();
        List<Candidate> out = new ArrayList<>();
        int worseF1 = 0;
        int worseLoss = 0;
        double bestF1 = Double.NEGATIVE_INFINITY;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double c : cs) {
            double[] logits = new double[y.length * classes];
            // folds are independent and write disjoint rows: running them in parallel changes no result
            paths.parallelStream().forEach(p -> {
                p.model().fit(c, p.theta());
                double[] held = LogisticRegression.logits(p.theta(), p.heldZ(), d, classes);
                for (int i = 0; i < p.heldRows().length; i++) {
                    System.arraycopy(held, i * classes, logits, p.heldRows()[i] * classes, classes);
                }
            });
            Score score = score("linear", String.format(Locale.ROOT, "C=%.4g", c), logits, y, fold, folds, classes, 0);
            out.add(new Candidate(score, logits, c, null));
            worseF1 = score.meanMacroF1() < bestF1 ? worseF1 + 1 : 0;
            worseLoss = score.meanLogLoss() > bestLoss ? worseLoss + 1 : 0;
            bestF1 = Math.max(bestF1, score.meanMacroF1());
            bestLoss = Math.min(bestLoss, score.meanLogLoss());
            if (worseF1 >= 2 && worseLoss >= 2 && c < cs[cs.length - 1]) {
                log.accept(String.format(Locale.ROOT, "  (weaker L2 than C=%.4g not tried: macro-F1 and log-loss have "
                        + "both worsened for two strengths in a row)", c));
                break;
            }
        }
        log.accept(String.format(Locale.ROOT, "  logistic regression: %d L2 strengths × %d folds in %.1f s", out.size(), folds,
                (System.nanoTime() - start) / 1e9));
        return out;
    }

    private static TrainedHead refitLinear(FeatureScaler scaler, float[][] x, int[] y, int classes, float[] classWeights,
            double[] cs, double chosenC) {
        int d = scaler.dimension();
        int[] all = IntStream.range(0, y.length).toArray();
        LogisticRegression model = new LogisticRegression(standardised(scaler, x), d, y, sampleWeights(y, all, classWeights),
                classes);
        double[] theta = model.zero();
        for (double c : cs) {
            if (c <= chosenC) {
                model.fit(c, theta);
            }
        }
        float[] weight = new float[classes * d];
        float[] bias = new float[classes];
        for (int q = 0; q < weight.length; q++) {
            weight[q] = (float) theta[q];
        }
        for (int k = 0; k < classes; k++) {
            bias[k] = (float) theta[classes * d + k];
        }
        Map<String, float[]> weights = new java.util.LinkedHashMap<>();
        weights.put("head.dense0.weight", weight);
        weights.put("head.dense0.bias", bias);
        return new TrainedHead(HeadSpec.linear(), scaler, classes, weights);
    }

    private static Candidate mlpCandidate(float[][] x, int[] y, int classes, float[] classWeights, int[] fold, int folds,
            Options options, MlpSetting setting) {
        HeadSpec spec = HeadSpec.mlp(options.mlpHidden(), setting.dropout());
        HeadTrainingConfig config = mlpConfig(options, setting);
        int scored = (int) java.util.Arrays.stream(fold).filter(v -> v < folds).count(); // the originals, first
        List<List<float[]>> byFold = new ArrayList<>();
        int longest = 0;
        for (int f = 0; f < folds; f++) {
            int[] trainRows = rows(fold, folds, f, false);
            int[] heldRows = rows(fold, folds, f, true);
            List<float[]> epochs = HeadTrainer.heldOutLogitsByEpoch(select(x, trainRows), labels(y, trainRows),
                    select(x, heldRows), labels(y, heldRows), classes, spec, config, classWeights);
            byFold.add(epochs);
            longest = Math.max(longest, epochs.size());
        }
        // a fold that stopped early keeps its last epoch's predictions for the later epochs
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpochs = 1;
        double[] bestLogits = null;
        for (int e = 1; e <= longest; e++) {
            double[] logits = new double[y.length * classes];
            for (int f = 0; f < folds; f++) {
                List<float[]> epochs = byFold.get(f);
                float[] held = epochs.get(Math.min(e, epochs.size()) - 1);
                int[] heldRows = rows(fold, folds, f, true);
                for (int i = 0; i < heldRows.length; i++) {
                    for (int k = 0; k < classes; k++) {
                        logits[heldRows[i] * classes + k] = held[i * classes + k];
                    }
                }
            }
            double loss = Calibration.logLoss(java.util.Arrays.copyOf(logits, scored * classes),
                    java.util.Arrays.copyOf(y, scored), classes, 1);
            if (loss < bestLoss - 1e-9) {
                bestLoss = loss;
                bestEpochs = e;
                bestLogits = logits;
            }
        }
        String setting_ = String.format(Locale.ROOT, "dropout %s, weight decay %s", trim(setting.dropout()),
                trim(setting.weightDecay()));
        return new Candidate(score(spec.describe(), setting_, bestLogits, y, fold, folds, classes, bestEpochs), bestLogits,
                Double.NaN, setting);
    }

    private static HeadTrainingConfig mlpConfig(Options options, MlpSetting setting) {
        HeadTrainingConfig t = options.training();
        return new HeadTrainingConfig(t.maxEpochs(), t.batchSize(), t.learningRate(), setting.weightDecay(), t.patience(),
                t.seed());
    }

    private static Score score(String head, String setting, double[] logits, int[] y, int[] fold, int folds, int classes,
            int epochs) {
        double[] f1 = new double[folds];
        double[] loss = new double[folds];
        for (int f = 0; f < folds; f++) {
            int[] held = rows(fold, folds, f, true);
            float[] part = new float[held.length * classes];
            for (int i = 0; i < held.length; i++) {
                for (int k = 0; k < classes; k++) {
                    part[i * classes + k] = (float) logits[held[i] * classes + k];
                }
            }
            HeldOutScore s = HeldOutScore.of(part, labels(y, held), classes, null);
            f1[f] = s.macroF1();
            loss[f] = s.loss();
        }
        double mean = java.util.Arrays.stream(f1).average().orElse(0);
        double sd = Math.sqrt(java.util.Arrays.stream(f1).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, folds - 1));
        return new Score(head, setting, mean, sd, java.util.Arrays.stream(loss).average().orElse(0), epochs);
    }

    private static String trim(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Rows held out in fold f, or the rows that train while it is held out (views carry fold + folds). */
    private static int[] rows(int[] fold, int folds, int f, boolean held) {
        return IntStream.range(0, fold.length).filter(i -> held ? fold[i] == f : fold[i] % folds != f).toArray();
    }

    private static int[] labels(int[] y, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = y[rows[i]];
        }
        return out;
    }

    private static float[][] select(float[][] x, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = x[rows[i]];
        }
        return out;
    }

    private static double[] standardised(FeatureScaler scaler, float[][] x) {
        float[] flat = scaler.apply(x);
        double[] out = new double[flat.length];
        for (int i = 0; i < flat.length; i++) {
            out[i] = flat[i];
        }
        return out;
    }

    private static double[] gather(double[] z, int[] rows, int d) {
        double[] out = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(z, rows[i] * d, out, i * d, d);
        }
        return out;
    }

    /** {@return the weight of each row's class, scaled to mean 1 over the rows; null without class weights} */
    private static double[] sampleWeights(int[] y, int[] rows, float[] classWeights) {
        if (classWeights == null) {
            return null;
        }
        double[] out = new double[rows.length];
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            out[i] = classWeights[y[rows[i]]];
            sum += out[i];
        }
        for (int i = 0; i < rows.length; i++) {
            out[i] *= rows.length / sum;
        }
        return out;
    }
}
