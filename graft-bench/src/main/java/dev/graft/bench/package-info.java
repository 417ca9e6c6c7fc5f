/**
 * Benchmark programs, never shipped, each run by a script in {@code bench/}. Those of {@code
 * bench/run.sh} end with a {@code RESULT {json}} line, which it keeps for BENCHMARKS.md:
 * {@link dev.graft.bench.MatmulCeiling} (float32 matmul ceiling), {@link
 * dev.graft.bench.FeatureThroughputBenchmark} (frozen MiniLM features, Graft vs ONNX Runtime from
 * Java), {@link dev.graft.bench.StepBenchmark} (fine-tuning steps; the PyTorch peer is
 * {@code bench/peers/torch_step.py}), {@link dev.graft.bench.ScalingBenchmark} (time against texts
 * and tokens) and {@link dev.graft.bench.OnnxLogisticPipeline} (the ONNX Runtime + liblinear peer
 * of {@code graft fit}). Beside them: {@link dev.graft.bench.FineTuneBenchmark} (one epoch with and
 * without the freeze-boundary cache), {@link dev.graft.bench.ImageThroughputBenchmark} (frozen
 * MobileNetV2), {@link dev.graft.bench.FeatureDump} (Graft's features for a scikit-learn peer) and
 * {@link dev.graft.bench.Soak} (every strategy fitted again and again in one JVM).
 *
 * <p>The JMH kernels are in {@code dev.graft.bench.kernels}.
 */
package dev.graft.bench;
