package dev.graft.train;

/**
 * What one epoch achieved.
 *
 * @param epoch 1-based, counted across stages
 * @param stage name of the plan stage the epoch belongs to
 * @param trainLoss mean cross-entropy over the epoch's batches (training mode)
 * @param validationLoss mean cross-entropy on the validation set (inference mode)
 * @param validationAccuracy accuracy on the validation set
 * @param learningRate the head's learning rate at the end of the epoch
 * @param seconds wall time of the epoch, validation included
 * @param validationMacroF1 macro-averaged F1 on the validation set
 * @param skippedSteps training steps skipped because their loss or gradient was not finite (left
 *     out of {@code trainLoss})
 */
public record EpochRecord(int epoch, String stage, double trainLoss, double validationLoss, double validationAccuracy,
        double learningRate, double seconds, double validationMacroF1, int skippedSteps) {

    /**
     * Computes macro-averaged F1 from predicted classes.
     *
     * @param truth class per example
     * @param predicted predicted class per example
     * @param classes number of classes
     * @return the unweighted mean over classes of F1 (a class with no examples and no predictions is left out)
     */
    public static double macroF1(int[] truth, long[] predicted, int classes) {
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        for (int i = 0; i < truth.length; i++) {
            int p = (int) predicted[i];
            if (p == truth[i]) {
                tp[p]++;
            } else {
                fp[p]++;
                fn[truth[i]]++;
            }
        }
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < classes; k++) {
            if (tp[k] + fp[k] + fn[k] == 0) {
                continue;
            }
            sum += 2.0 * tp[k] / (2.0 * tp[k] + fp[k] + fn[k]);
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
