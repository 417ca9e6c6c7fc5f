package dev.graft.bench.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.graft.backbone.Engines;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * float32 matmul through Graft's engine (libtorch via DJL), M×K times K×N: a square one and the
 * shapes of MiniLM's feed-forward layers on a batch of 32 × 128 tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatmulKernel {

    @Param({"1024x1024x1024", "4096x384x1536", "4096x1536x384"})
    public String shape;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup
    public void setUp() {
        Engines.configureOffline();
        String[] mkn = shape.split("x");
        long m = Long.parseLong(mkn[0]);
        long k = Long.parseLong(mkn[1]);
        long n = Long.parseLong(mkn[2]);
        manager = NDManager.newBaseManager();
        Engines.noGradientsOnThisThread();
        a = manager.randomNormal(new Shape(m, k));
        b = manager.randomNormal(new Shape(k, n));
    }

    @Benchmark
    public long matmul() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray c = a.matMul(b);
            c.attach(scope);
            return c.getShape().size();
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
