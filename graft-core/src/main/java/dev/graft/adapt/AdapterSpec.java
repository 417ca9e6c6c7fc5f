package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.List;

/**
 * Small trainable modules added to a frozen backbone.
 *
 * @param kind {@code lora} or {@code prefix}
 * @param rank LoRA rank r
 * @param alpha LoRA scaling numerator: the update is {@code (alpha / r) · B·A} ({@code alpha / √r} with rsLoRA)
 * @param dropout dropout on the LoRA input while training
 * @param targets LoRA targets: linear layers by role ({@code query, key, value, attention-output,
 *     intermediate, output})
 * @param rsLora rank-stabilised scaling
 * @param tokens prefix length (prefix tuning)
 * @param blocks the top this many blocks get adapters (0 = all); the blocks below can be cached
 * @param lrMultiplier the adapters' learning rate relative to the base rate
 */
public record AdapterSpec(String kind, int rank, double alpha, double dropout, List<String> targets, boolean rsLora,
        int tokens, int blocks, double lrMultiplier) {

    /** Every linear role LoRA can target. */
    public static final List<String> ALL_LINEAR =
            List.of("query", "key", "value", "attention-output", "intermediate", "output");

    /**
     * Checks the kind and the ranges of the settings.
     * Throws {@link dev.graft.GraftException} naming the first bad value.
     *
     * @param kind {@code lora} or {@code prefix}
     * @param rank LoRA rank r
     * @param alpha LoRA scaling numerator: the update is {@code (alpha / r) · B·A} ({@code alpha / √r} with rsLoRA)
     * @param dropout dropout on the LoRA input while training
     * @param targets LoRA targets: linear layers by role ({@code query, key, value, attention-output,
     *     intermediate, output})
     * @param rsLora rank-stabilised scaling
     * @param tokens prefix length (prefix tuning)
     * @param blocks the top this many blocks get adapters (0 = all); the blocks below can be cached
     * @param lrMultiplier the adapters' learning rate relative to the base rate
     */
    public AdapterSpec {
        targets = List.copyOf(targets);
        if (!kind.equals("lora") && !kind.equals("prefix")) {
            throw new GraftException("adapter kind " + kind + " is unknown; use lora or prefix");
        }
        if (kind.equals("lora")) {
            if (rank < 1 || rank > 1024) {
                throw new GraftException(Parameter.LORA_RANK, rank, "is out of range; use 1 to 1024 (8 is typical)");
            }
            if (targets.isEmpty() || !ALL_LINEAR.containsAll(targets)) {
                throw new GraftException(Parameter.LORA_TARGETS, String.join(",", targets), "names unknown layers; use "
                        + String.join(",", ALL_LINEAR) + " or all-linear");
            }
        }
        if (kind.equals("prefix") && (tokens < 1 || tokens > 256)) {
            throw new GraftException(Parameter.PREFIX_LENGTH, tokens, "is out of range; use 1 to 256 (10 is typical)");
        }
        if (dropout < 0 || dropout >= 1 || blocks < 0 || lrMultiplier <= 0) {
            throw new GraftException("adapter dropout must be in [0, 1), blocks ≥ 0 and the learning-rate multiplier > 0");
        }
    }

    /** {@return LoRA r=8, alpha 16, dropout 0.05 on query, key, value and attention-output, every block} */
    public static AdapterSpec lora() {
        return new AdapterSpec("lora", 8, 16, 0.05, List.of("query", "key", "value", "attention-output"), false, 0, 0, 1.0);
    }

    /** {@return prefix tuning with 10 virtual tokens in every block} */
    public static AdapterSpec prefix() {
        return new AdapterSpec("prefix", 0, 0, 0, List.of(), false, 10, 0, 1.0);
    }

    /** {@return the LoRA scale applied to B·A} */
    public double scale() {
        return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
