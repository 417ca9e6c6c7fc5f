/**
 * The advisor behind {@code graft advise} and {@code --strategy auto}. {@link
 * dev.graft.advise.Advisor#advise} measures the data against the backbone: class counts and
 * duplicates; for text, tokenizer rates and a domain classifier against {@link
 * dev.graft.advise.ReferenceText}; for images, frozen features against raw pixels; a {@link
 * dev.graft.advise.LinearProbe} learning curve on the frozen features; and, when the options ask,
 * a short partial fine-tune on a subsample and timed steps of full fine-tuning and LoRA.
 *
 * <p>The result is an {@link dev.graft.advise.Advice}: each measured {@link
 * dev.graft.advise.Signal} and how it reads, the recommended strategy and the runner-up with
 * reasons, and a {@link dev.graft.advise.StrategyEstimate} of each strategy's time and memory.
 * {@link dev.graft.advise.PeakMemory} measures peak resident memory on Linux.
 */
package dev.graft.advise;
