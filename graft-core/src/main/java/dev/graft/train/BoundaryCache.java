package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.TrainableBackbone;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of the frozen groups below the freeze boundary, computed once per batch and kept in
 * native memory (half precision by default), so each epoch runs only the groups above it.
 */
final class BoundaryCache implements AutoCloseable {

    final int boundary;
    private final DataType type;
    private final boolean enabled;
    private TrainableBackbone backbone;
    private final NDManager manager = NDManager.newBaseManager();
    private final List<NDArray> inputs = new ArrayList<>();

    /**
     * @param boundary groups below the boundary are frozen
     * @param type storage precision
     * @param enabled false recomputes the frozen groups at every step instead (for comparison)
     */
    BoundaryCache(int boundary, DataType type, boolean enabled) {
        this.boundary = boundary;
        this.type = type;
        this.enabled = enabled;
    }

    void fill(TrainableBackbone backbone, List<InputBatch> tokens, List<int[]> batches, float[][] pooled,
            Progress progress, String task) {
        this.backbone = backbone;
        if (boundary == 0 || !enabled) {
            return;
        }
        boolean top = boundary == backbone.groupCount();
        int width = backbone.featureSize();
        progress.start(task, tokens.stream().mapToInt(InputBatch::size).sum());
        for (int b = 0; b < tokens.size(); b++) {
            if (top && pooled != null) {
                int[] rows = batches.get(b);
                float[] flat = new float[rows.length * width];
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(pooled[rows[i]], 0, flat, i * width, width);
                }
                inputs.add(manager.create(flat, new Shape(rows.length, width)));
            } else {
                NDArray h = backbone.hiddenAt(manager, tokens.get(b), boundary);
                if (top || type == DataType.FLOAT32 || !fitsIn(type, h)) {
                    inputs.add(h);
                } else {
                    inputs.add(h.toType(type, false));
                    h.close();
                }
            }
            progress.advance(tokens.get(b).size());
        }
        progress.finish();
    }

    /** Largest finite float16. */
    static final float HALF_MAX = 65504f;

    /** A batch whose values float16 cannot hold stays in float32 rather than turning into infinities. */
    static boolean fitsIn(DataType type, NDArray h) {
        if (type != DataType.FLOAT16) {
            return true;
        }
        try (NDArray magnitude = h.abs(); NDArray largest = magnitude.max()) {
            return largest.getFloat() <= HALF_MAX;
        }
    }

    /**
     * @param batch index of the batch
     * @param tokens the batch itself, run through the frozen groups when caching is off
     * @return the cached input of a batch as float32, owned by {@code scope}
     */
    NDArray input(int batch, InputBatch tokens, NDManager scope) {
        if (!enabled) {
            return backbone.hiddenAt(scope, tokens, boundary);
        }
        NDArray x = inputs.get(batch).toType(DataType.FLOAT32, true);
        x.attach(scope);
        return x;
    }

    @Override
    public void close() {
        manager.close();
    }
}
