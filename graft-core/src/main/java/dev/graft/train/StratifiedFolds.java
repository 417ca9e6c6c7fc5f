package dev.graft.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Assigns rows to k folds so that every class is spread evenly over them. */
public final class StratifiedFolds {

    private StratifiedFolds() {}

    /**
     * Deals each class's rows, shuffled with the seed, round-robin into the folds (continuing the
     * count across classes, so fold sizes differ by at most one).
     *
     * @param labels class of every row
     * @param classes number of classes
     * @param folds number of folds, at least 2
     * @param seed shuffles the rows
     * @return the fold of every row, in [0, folds)
     */
    public static int[] assign(int[] labels, int classes, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("need at least 2 folds: " + folds);
        }
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (int k = 0; k < classes; k++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == k) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            for (int i : members) {
                fold[i] = next++ % folds;
            }
        }
        return fold;
    }
}
