package dev.graft.bench.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.graft.backbone.Engines;
import dev.graft.backbone.text.BertConfig;
import dev.graft.backbone.text.BertLayer;
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
 * One MiniLM transformer block (self-attention, feed-forward, two LayerNorms) forward on PyTorch,
 * inference, batch 8: the kernel that fine-tuning and the PyTorch frozen path repeat six times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class AttentionBlockKernel {

    static final int BATCH = 8;

    @Param({"32", "128", "512"})
    public int length;

    private NDManager manager;
    private BertLayer block;
    private NDArray hidden;
    private NDArray bias;

    @Setup
    public void setUp() {
        Engines.configureOffline();
        BertConfig config = BertConfig.miniLmL6();
        manager = NDManager.newBaseManager();
        Engines.noGradientsOnThisThread();
        block = new BertLayer(config);
        Shape x = new Shape(BATCH, length, config.hidden());
        block.initialize(manager, DataType.FLOAT32, x, new Shape(BATCH, 1, 1, length));
        block.freezeParameters(true);
        hidden = manager.randomNormal(x);
        bias = manager.zeros(new Shape(BATCH, 1, 1, length));
    }

    @Benchmark
    public long block() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray out = block.forward(new ParameterStore(scope, false), new NDList(hidden, bias), false).singletonOrThrow();
            out.attach(scope);
            return out.getShape().size();
        }
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
