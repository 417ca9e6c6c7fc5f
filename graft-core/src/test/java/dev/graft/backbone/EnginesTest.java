package dev.graft.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class EnginesTest {

    /**
     * The gradient must stay in PyTorch's own memory once zeroed: assigned from a Java array, it
     * lived in a buffer the garbage collector freed, and the next backward pass read and wrote
     * memory that Java had handed to someone else (here: buffers full of 7).
     */
    @Test
    void zeroedGradientsSurviveGarbageCollectionAndAccumulateFromZero() throws InterruptedException {
        int n = 1000;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.ones(new Shape(n));
            weight.setRequiresGradient(true);
            for (int round = 0; round < 3; round++) {
                backward(() -> weight.mul(Float.NaN).sum());
                Engines.zeroGradient(weight);
                List<ByteBuffer> reused = churn(n);
                try (NDArray grad = weight.getGradient()) {
                    assertThat(grad.toFloatArray()).as("round %d, %d buffers reused", round, reused.size())
                            .containsOnly(0f);
                }
                backward(() -> weight.mul(2).sum());
                try (NDArray grad = weight.getGradient()) {
                    assertThat(grad.toFloatArray()).containsOnly(2f);
                }
                Engines.zeroGradient(weight);
            }
        }
    }

    private static void backward(Supplier<NDArray> loss) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector(); NDArray l = loss.get()) {
            collector.backward(l);
        }
    }

    private static List<ByteBuffer> churn(int floats) throws InterruptedException {
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            System.gc();
            Thread.sleep(2);
            ByteBuffer b = ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder());
            while (b.hasRemaining()) {
                b.putFloat(7f);
            }
            buffers.add(b);
        }
        return buffers;
    }
}
