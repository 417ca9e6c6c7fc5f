package dev.graft.bench;

/**
 * Counted floating-point operations of MiniLM (6 layers, hidden 384, intermediate 1536): per token
 * and layer, 2·(4d² + 2·d·4d) for the projections and feed-forward plus 2·2·L·d for attention
 * scores and weighted values; a backward pass counts twice its forward.
 */
public final class BertFlops {

    static final int HIDDEN = 384;
    static final int LAYERS = 6;

    private BertFlops() {}

    /** @return FLOPs of one layer's forward pass over a batch of {@code rows} texts of {@code length} tokens */
    public static double layerForward(int rows, int length) {
        double d = HIDDEN;
        return (double) rows * length * (24 * d * d + 4.0 * length * d);
    }

    /** @return FLOPs of the whole encoder's forward pass */
    public static double forward(int rows, int length) {
        return LAYERS * layerForward(rows, length);
    }

    /**
     * @param rows batch size
     * @param length tokens per text
     * @param trained top layers that train
     * @param lowerRecomputed whether the frozen layers below run every step (no boundary cache)
     * @return FLOPs of one training step (head ignored: under 0.1 %)
     */
    public static double trainStep(int rows, int length, int trained, boolean lowerRecomputed) {
        double layer = layerForward(rows, length);
        return (lowerRecomputed ? LAYERS - trained : 0) * layer + trained * 3 * layer;
    }
}
