package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class BoundaryCacheTest {

    @Test
    void hiddenStatesBeyondFloat16sRangeStayInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(BoundaryCache.fitsIn(DataType.FLOAT16, m.create(new float[] {-3.5f, 10.5f, 65504f}))).isTrue();
            assertThat(BoundaryCache.fitsIn(DataType.FLOAT16, m.create(new float[] {1f, -70000f}))).as("would become -inf").isFalse();
            assertThat(BoundaryCache.fitsIn(DataType.FLOAT32, m.create(new float[] {1e30f}))).isTrue();
        }
    }
}
