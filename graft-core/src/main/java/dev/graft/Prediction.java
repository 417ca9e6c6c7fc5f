package dev.graft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One label with its probability.
 *
 * @param label the class name
 * @param probability its probability, in [0, 1]
 */
public record Prediction(String label, double probability) {

    /**
     * Ranks the classes of each input by probability and keeps the best {@code k}.
     *
     * @param probabilities class probabilities per input, in {@code labels} order
     * @param labels the classes, in column order
     * @param k labels to keep per input
     * @return the best {@code k} labels per input, best first
     * @throws GraftException if {@code k} is less than 1
     */
    public static List<List<Prediction>> top(float[][] probabilities, List<String> labels, int k) {
        if (k < 1) {
            throw new GraftException("top-k " + k + " must be at least 1");
        }
        List<List<Prediction>> out = new ArrayList<>();
        for (float[] row : probabilities) {
            List<Prediction> scored = new ArrayList<>();
            for (int c = 0; c < row.length; c++) {
                scored.add(new Prediction(labels.get(c), row[c]));
            }
            scored.sort(Comparator.comparingDouble(Prediction::probability).reversed());
            out.add(List.copyOf(scored.subList(0, Math.min(k, scored.size()))));
        }
        return out;
    }
}
