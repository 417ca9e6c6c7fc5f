package dev.graft.adapt;

/**
 * When a stage ends: after {@code maxEpochs}, or earlier when the validation loss has not improved
 * for {@code patience} epochs.
 *
 * @param maxEpochs epoch budget of the stage; 0 chooses one from the data size (head-only stages)
 * @param patience epochs without improvement that end the stage
 */
public record StageEnd(int maxEpochs, int patience) {

    /**
     * Checks the epoch budget and patience.
     *
     * @param maxEpochs epoch budget of the stage; 0 chooses one from the data size (head-only stages)
     * @param patience epochs without improvement that end the stage
     */
    public StageEnd {
        if (maxEpochs < 0 || patience < 1) {
            throw new IllegalArgumentException("stage end needs maxEpochs ≥ 0 and patience ≥ 1: " + maxEpochs + ", " + patience);
        }
    }
}
