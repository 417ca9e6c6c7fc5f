package dev.graft.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Groups examples into batches of similar length (so padding stays small) without sorting the
 * whole set: examples are shuffled, cut into pools of 50 batches, each pool sorted by length and
 * cut into batches.
 */
final class BatchPlan {

    private static final int POOL_BATCHES = 50;

    private BatchPlan() {}

    /**
     * @param lengths token length of each example
     * @param batchSize examples per batch
     * @param random shuffles the examples; null keeps them in order and sorts all by length
     * @return batches of example indices
     */
    static List<int[]> compose(int[] lengths, int batchSize, Random random) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int pool = random == null ? order.length : batchSize * POOL_BATCHES;
        if (random != null) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Integer t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += pool) {
            Integer[] chunk = Arrays.copyOfRange(order, start, Math.min(order.length, start + pool));
            Arrays.sort(chunk, Comparator.comparingInt(i -> lengths[i]));
            for (int b = 0; b < chunk.length; b += batchSize) {
                int[] batch = new int[Math.min(batchSize, chunk.length - b)];
                for (int k = 0; k < batch.length; k++) {
                    batch[k] = chunk[b + k];
                }
                batches.add(batch);
            }
        }
        return batches;
    }
}
