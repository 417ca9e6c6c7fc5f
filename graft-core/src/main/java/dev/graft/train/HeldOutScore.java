package dev.graft.train;

/**
 * Loss, accuracy and macro-F1 of logits on labelled rows.
 *
 * @param loss mean cross-entropy, each row weighted by its class's weight when weights are given
 * @param accuracy share of rows whose highest logit is their class
 * @param macroF1 unweighted mean of the per-class F1
 */
record HeldOutScore(double loss, double accuracy, double macroF1) {

    /**
     * @param logits rows × classes, row-major
     * @param labels class of every row
     * @param classes number of classes
     * @param classWeights weight per class, or null
     */
    static HeldOutScore of(float[] logits, int[] labels, int classes, float[] classWeights) {
        int n = labels.length;
        long[] predicted = new long[n];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                if (logits[row + k] > max) {
                    max = logits[row + k];
                    best = k;
                }
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[row + k] - max);
            }
            double nll = Math.log(sum) + max - logits[row + labels[i]];
            loss += (classWeights == null ? 1 : classWeights[labels[i]]) * nll;
            predicted[i] = best;
            if (best == labels[i]) {
                correct++;
            }
        }
        return new HeldOutScore(loss / n, (double) correct / n, EpochRecord.macroF1(labels, predicted, classes));
    }
}
