package dev.graft.data;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * Splits a dataset into train, validation and test parts with the same class proportions.
 *
 * <p>Classes are taken in label order; each class's examples are shuffled (Fisher–Yates driven by
 * one {@code new Random(seed)}, so a seed gives the same split on every JVM). A class of {@code n}
 * examples gives {@code round(n × fraction)} to validation and to test, but at least one to each
 * when {@code n ≥ 3} and the fraction is above 0, and always keeps at least one for training.
 * Each part keeps the original example order.
 */
public final class StratifiedSplitter {

    private StratifiedSplitter() {}

    /**
     * Splits examples into train, validation and test parts, keeping each class's share in every part.
     *
     * @param data the examples
     * @param validationFraction share of each class for validation, in [0, 1)
     * @param testFraction share of each class for test, in [0, 1)
     * @param seed seed for the shuffle
     * @return the three parts
     * @throws GraftException if a fraction is outside [0, 1), they sum to 1 or more, or data is empty
     */
    public static DataSplit split(TextDataset data, double validationFraction, double testFraction, long seed) {
        Objects.requireNonNull(data, "data");
        checkFraction("validation", validationFraction);
        checkFraction("test", testFraction);
        if (validationFraction + testFraction >= 1) {
            throw new GraftException("validation fraction " + Messages.decimal(validationFraction)
                    + " + test fraction " + Messages.decimal(testFraction) + " = "
                    + Messages.decimal(validationFraction + testFraction)
                    + " leaves nothing to train on; make the sum less than 1, e.g. 0.1 and 0.1");
        }
        if (data.size() == 0) {
            throw new GraftException("no examples to split; check the data file");
        }
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        List<TextExample> examples = data.examples();
        for (int i = 0; i < examples.size(); i++) {
            byLabel.computeIfAbsent(examples.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        boolean[] inValidation = new boolean[data.size()];
        boolean[] inTest = new boolean[data.size()];
        for (List<Integer> members : byLabel.values()) {
            int[] order = shuffled(members, random);
            int n = order.length;
            int validation = (int) Math.round(n * validationFraction);
            int test = (int) Math.round(n * testFraction);
            if (n >= 3) {
                if (validationFraction > 0) {
                    validation = Math.max(1, validation);
                }
                if (testFraction > 0) {
                    test = Math.max(1, test);
                }
            }
            while (validation + test > n - 1) {
                if (validation > test) {
                    validation--;
                } else {
                    test--;
                }
            }
            for (int k = 0; k < test; k++) {
                inTest[order[k]] = true;
            }
            for (int k = test; k < test + validation; k++) {
                inValidation[order[k]] = true;
            }
        }
        List<TextExample> train = new ArrayList<>();
        List<TextExample> validation = new ArrayList<>();
        List<TextExample> test = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (inTest[i] ? test : inValidation[i] ? validation : train).add(examples.get(i));
        }
        return new DataSplit(TextDataset.of(train), TextDataset.of(validation), TextDataset.of(test));
    }

    /**
     * Splits off validation only, for when the user gives a separate test file.
     *
     * @param data the examples
     * @param validationFraction share of each class for validation, in [0, 1)
     * @param seed seed for the shuffle
     * @return train and validation parts; test is empty
     * @throws GraftException if the fraction is outside [0, 1) or data is empty
     */
    public static DataSplit trainValidation(TextDataset data, double validationFraction, long seed) {
        return split(data, validationFraction, 0.0, seed);
    }

    private static void checkFraction(String name, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new GraftException(name + " fraction " + Messages.decimal(fraction) + " is outside [0, 1); use a share such as 0.1");
        }
    }

    private static int[] shuffled(List<Integer> members, Random random) {
        int[] order = new int[members.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = members.get(i);
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
