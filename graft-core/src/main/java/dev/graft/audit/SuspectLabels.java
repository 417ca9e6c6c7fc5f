package dev.graft.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Confident learning on out-of-fold probabilities: class j's threshold is the mean probability of
 * j over the examples labelled j; an example is a suspect when its given class falls below its
 * threshold while another class reaches its own. Suspects are ranked by the probability of their
 * given label, lowest first.
 */
public final class SuspectLabels {

    /**
     * One example whose label looks wrong.
     *
     * @param index position in the data
     * @param given the given class
     * @param suggested the class the probe confidently predicts instead
     * @param givenProbability out-of-fold probability of the given class
     * @param suggestedProbability out-of-fold probability of the suggested class
     */
    public record Suspect(int index, int given, int suggested, double givenProbability, double suggestedProbability) {}

    /**
     * The suspect examples and the per-class statistics behind them.
     *
     * @param suspects ranked, most suspect first
     * @param thresholds per-class confidence thresholds
     * @param noiseRate per class, the share of its examples that are suspects
     */
    public record Result(List<Suspect> suspects, double[] thresholds, double[] noiseRate) {}

    private SuspectLabels() {}

    /**
     * Finds examples whose given label the out-of-fold probabilities disagree with (confident learning).
     *
     * @param probabilities out-of-fold class probabilities, one row per example
     * @param labels given class per example
     * @param classes number of classes
     * @return the suspects and the per-class figures
     */
    public static Result find(float[][] probabilities, int[] labels, int classes) {
        double[] sum = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            sum[labels[i]] += probabilities[i][labels[i]];
            count[labels[i]]++;
        }
        double[] threshold = new double[classes];
        for (int k = 0; k < classes; k++) {
            threshold[k] = count[k] == 0 ? 1 : sum[k] / count[k];
        }
        List<Suspect> suspects = new ArrayList<>();
        int[] flagged = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            float[] p = probabilities[i];
            if (p[y] >= threshold[y]) {
                continue;
            }
            int best = -1;
            for (int k = 0; k < classes; k++) {
                if (k != y && p[k] >= threshold[k] && (best < 0 || p[k] > p[best])) {
                    best = k;
                }
            }
            if (best >= 0) {
                suspects.add(new Suspect(i, y, best, p[y], p[best]));
                flagged[y]++;
            }
        }
        suspects.sort(Comparator.comparingDouble(Suspect::givenProbability).thenComparingInt(Suspect::index));
        double[] rate = new double[classes];
        for (int k = 0; k < classes; k++) {
            rate[k] = count[k] == 0 ? 0 : (double) flagged[k] / count[k];
        }
        return new Result(List.copyOf(suspects), threshold, rate);
    }
}
