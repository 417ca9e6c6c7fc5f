package dev.graft.train;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy, per-class precision / recall / F1, macro-F1 and the confusion matrix of a
 * single-label classifier, computed from class indices.
 *
 * <p>Any ratio whose denominator is zero is defined as 0: precision of a class never predicted,
 * recall of a class absent from the truth, F1 when precision + recall = 0, accuracy of no
 * examples. Macro-F1 is the unweighted mean of the per-class F1 over <em>all</em> labels given,
 * including labels with no support. Instances are immutable.
 */
public final class ClassificationMetrics {

    /**
     * Scores of one class.
     *
     * @param label the class name
     * @param precision of the examples predicted as this class, the fraction that are; in [0, 1]
     * @param recall of the examples of this class, the fraction predicted as it; in [0, 1]
     * @param f1 the harmonic mean of precision and recall; in [0, 1]
     * @param support how many examples truly are of this class
     */
    public record PerClass(String label, double precision, double recall, double f1, int support) {

        /**
         * Checks the label and that the scores are in [0, 1] and the support non-negative.
         *
         * @param label the class name
         * @param precision of the examples predicted as this class, the fraction that are; in [0, 1]
         * @param recall of the examples of this class, the fraction predicted as it; in [0, 1]
         * @param f1 the harmonic mean of precision and recall; in [0, 1]
         * @param support how many examples truly are of this class
         */
        public PerClass {
            if (label == null) {
                throw new GraftException("per-class metrics need a label");
            }
            for (double v : new double[] {precision, recall, f1}) {
                if (!(v >= 0 && v <= 1)) {
                    throw new GraftException("per-class score " + v + " for '" + label + "' is outside [0, 1]");
                }
            }
            if (support < 0) {
                throw new GraftException("support " + support + " for '" + label + "' is negative");
            }
        }
    }

    private final List<String> labels;
    private final int[][] confusion;
    private final double accuracy;
    private final double macroF1;
    private final List<PerClass> perClass;
    private final double calibrationError;

    private ClassificationMetrics(List<String> labels, int[][] confusion, double calibrationError) {
        this.labels = labels;
        this.confusion = confusion;
        this.calibrationError = calibrationError;
        int k = labels.size();
        long correct = 0;
        long total = 0;
        List<PerClass> classes = new ArrayList<>(k);
        double f1Sum = 0;
        for (int c = 0; c < k; c++) {
            int truePositive = confusion[c][c];
            int support = 0;
            int predicted = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }
            correct += truePositive;
            total += support;
            double precision = ratio(truePositive, predicted);
            double recall = ratio(truePositive, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes.add(new PerClass(labels.get(c), precision, recall, f1, support));
            f1Sum += f1;
        }
        this.perClass = List.copyOf(classes);
        this.accuracy = ratio(correct, total);
        this.macroF1 = k == 0 ? 0 : f1Sum / k;
    }

    /**
     * Computes accuracy, per-class and averaged scores and the confusion matrix from predicted classes.
     *
     * @param truth the true class index of each example, each in {@code [0, labels.size())}
     * @param predicted the predicted class index of each example, same length as {@code truth}
     * @param labels the class names, index i naming class i; distinct and non-empty
     * @return the metrics
     * @throws GraftException if the arrays differ in length, an index is out of range, or the
     *     labels are empty, null or repeated
     */
    public static ClassificationMetrics compute(int[] truth, int[] predicted, List<String> labels) {
        if (truth == null || predicted == null || labels == null) {
            throw new GraftException("metrics need truth, predictions and labels; got a null");
        }
        if (truth.length != predicted.length) {
            throw new GraftException("metrics got " + truth.length + " true labels but " + predicted.length
                    + " predictions; pass one prediction per example");
        }
        if (labels.isEmpty()) {
            throw new GraftException("metrics need at least one label name");
        }
        if (labels.stream().anyMatch(l -> l == null) || new HashSet<>(labels).size() != labels.size()) {
            throw new GraftException("label names must be distinct and non-null: " + labels);
        }
        int k = labels.size();
        int[][] confusion = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            checkIndex("truth", i, truth[i], k);
            checkIndex("predicted", i, predicted[i], k);
            confusion[truth[i]][predicted[i]]++;
        }
        return new ClassificationMetrics(List.copyOf(labels), confusion, Double.NaN);
    }

    /**
     * Computes the metrics of the most probable classes, with the expected calibration error of the probabilities.
     *
     * @param truth the true class index of each example
     * @param probabilities each example's class probabilities, in label order
     * @param labels the class names
     * @return the metrics of the most probable classes, with the probabilities' expected calibration error
     */
    public static ClassificationMetrics compute(int[] truth, float[][] probabilities, List<String> labels) {
        int[] predicted = new int[probabilities.length];
        for (int i = 0; i < predicted.length; i++) {
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][predicted[i]]) {
                    predicted[i] = c;
                }
            }
        }
        ClassificationMetrics m = compute(truth, predicted, labels);
        return new ClassificationMetrics(m.labels, m.confusion, Calibration.expectedCalibrationError(probabilities, truth));
    }

    private static void checkIndex(String array, int i, int value, int k) {
        if (value < 0 || value >= k) {
            throw new GraftException(array + "[" + i + "] = " + value + " is not a class index in 0.." + (k - 1)
                    + " (" + k + " labels); encode labels with the same label list");
        }
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    /** {@return the expected calibration error of the probabilities scored, NaN when only labels were} */
    public double calibrationError() {
        return calibrationError;
    }

    /** {@return the fraction of examples predicted correctly, in [0, 1]; 0 when there are none} */
    public double accuracy() {
        return accuracy;
    }

    /** {@return the unweighted mean of the per-class F1 over all labels, in [0, 1]} */
    public double macroF1() {
        return macroF1;
    }

    /** {@return one entry per label, in label order} */
    public List<PerClass> perClass() {
        return perClass;
    }

    /** {@return the class names, in index order} */
    public List<String> labels() {
        return labels;
    }

    /** {@return the total number of examples scored} */
    public int count() {
        int n = 0;
        for (PerClass c : perClass) {
            n += c.support();
        }
        return n;
    }

    /** {@return a copy of the confusion matrix: {@code [truth][predicted]} example counts} */
    public int[][] confusion() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * {@return an aligned plain-text report: accuracy and macro-F1, then precision, recall, F1 and
     *     support per class, then the confusion matrix (rows = truth, columns = predicted)}
     */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "accuracy  %.4f  (%d examples)%n", accuracy, count()));
        out.append(String.format(Locale.ROOT, "macro-F1  %.4f%n", macroF1));
        if (!Double.isNaN(calibrationError)) {
            out.append(String.format(Locale.ROOT, "expected calibration error  %.4f  (%d confidence bins)%n",
                    calibrationError, Calibration.BINS));
        }
        out.append(System.lineSeparator());

        int labelWidth = "label".length();
        for (String label : labels) {
            labelWidth = Math.max(labelWidth, label.length());
        }
        String row = "%-" + labelWidth + "s  %9s  %9s  %9s  %9s%n";
        out.append(String.format(Locale.ROOT, row, "label", "precision", "recall", "f1", "support"));
        for (PerClass c : perClass) {
            out.append(String.format(Locale.ROOT, row, c.label(), fmt(c.precision()), fmt(c.recall()), fmt(c.f1()),
                    c.support()));
        }

        out.append(String.format("%nconfusion (rows = truth, columns = predicted)%n"));
        String corner = "truth \\ predicted";
        int firstWidth = Math.max(labelWidth, corner.length());
        int[] widths = new int[labels.size()];
        for (int j = 0; j < labels.size(); j++) {
            widths[j] = labels.get(j).length();
            for (int[] r : confusion) {
                widths[j] = Math.max(widths[j], Integer.toString(r[j]).length());
            }
        }
        out.append(pad(corner, firstWidth, false));
        for (int j = 0; j < labels.size(); j++) {
            out.append("  ").append(pad(labels.get(j), widths[j], true));
        }
        out.append(System.lineSeparator());
        for (int i = 0; i < labels.size(); i++) {
            out.append(pad(labels.get(i), firstWidth, false));
            for (int j = 0; j < labels.size(); j++) {
                out.append("  ").append(pad(Integer.toString(confusion[i][j]), widths[j], true));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - s.length()));
        return right ? spaces + s : s + spaces;
    }

    /**
     * {@return a JSON-ready map with exactly the keys {@code accuracy}, {@code macro_f1},
     *     {@code per_class} (label → {@code {precision, recall, f1, support}}, in label order) and
     *     {@code confusion} ({@code {labels: [...], matrix: [[...]]}}, rows = truth), and
     *     {@code expected_calibration_error} when the metrics were computed from probabilities}
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", accuracy);
        json.put("macro_f1", macroF1);
        Map<String, Object> classes = new LinkedHashMap<>();
        for (PerClass c : perClass) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", c.precision());
            m.put("recall", c.recall());
            m.put("f1", c.f1());
            m.put("support", c.support());
            classes.put(c.label(), m);
        }
        json.put("per_class", classes);
        List<List<Integer>> matrix = new ArrayList<>();
        for (int[] r : confusion) {
            List<Integer> cells = new ArrayList<>(r.length);
            for (int v : r) {
                cells.add(v);
            }
            matrix.add(List.copyOf(cells));
        }
        Map<String, Object> confusionJson = new LinkedHashMap<>();
        confusionJson.put("labels", labels);
        confusionJson.put("matrix", List.copyOf(matrix));
        json.put("confusion", confusionJson);
        if (!Double.isNaN(calibrationError)) {
            json.put("expected_calibration_error", calibrationError);
        }
        return json;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClassificationMetrics[accuracy=%.4f, macroF1=%.4f, n=%d]", accuracy, macroF1,
                count());
    }

    /**
     * Picks the highest-scoring class of each row.
     *
     * @param p scores per row (probabilities or logits)
     * @return the index of each row's highest score, the first on ties
     */
    public static int[] argmax(float[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            for (int k = 1; k < p[i].length; k++) {
                if (p[i][k] > p[i][best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
