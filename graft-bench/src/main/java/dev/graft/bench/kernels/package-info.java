/**
 * JMH microbenchmarks of the kernels under Graft's figures, run by {@code bench/run.sh kernels}:
 * {@link dev.graft.bench.kernels.MatmulKernel} (float32 matmul through libtorch), {@link
 * dev.graft.bench.kernels.AttentionBlockKernel} (one MiniLM transformer block forward) and {@link
 * dev.graft.bench.kernels.TokenizerKernel} (Graft's tokenizer against DJL's Hugging Face tokenizer).
 */
package dev.graft.bench.kernels;
