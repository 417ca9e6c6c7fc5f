package dev.graft.backbone.text;

import dev.graft.GraftException;
import java.util.Locale;

/**
 * The engine that computes a frozen BERT encoder's features. Fine-tuning always runs on PyTorch;
 * once no weight can change, ONNX Runtime runs the same graph faster on the CPUs measured
 * (BENCHMARKS.md), with features equal to PyTorch's within float rounding.
 */
public enum FrozenEngine {
    /**
     * PyTorch for the first {@link #AUTO_AFTER_TEXTS} texts, ONNX Runtime after: building the
     * ONNX Runtime session costs about a second (a one-text {@code graft predict} took 3.6 s
     * instead of 3.1 s), which its speed repays over a few hundred texts.
     */
    AUTO("auto"),
    /** ONNX Runtime from the first text; building its session costs about a second. */
    ONNX_RUNTIME("onnxruntime"),
    /** PyTorch (DJL) only, as fine-tuning uses. */
    PYTORCH("pytorch");

    /** Texts a backbone embeds on PyTorch before {@link #AUTO} moves it to ONNX Runtime. */
    public static final int AUTO_AFTER_TEXTS = 256;

    /** System property naming the engine; the environment variable {@code GRAFT_FROZEN_ENGINE} is read when it is unset. */
    public static final String PROPERTY = "graft.frozenEngine";

    private final String id;

    FrozenEngine(String id) {
        this.id = id;
    }

    /** {@return the engine's name in {@link #PROPERTY} and {@code GRAFT_FROZEN_ENGINE}, e.g. {@code onnxruntime}} */
    public String id() {
        return id;
    }

    /** {@return the engine named by {@link #PROPERTY} or {@code GRAFT_FROZEN_ENGINE}; {@link #AUTO} when neither is set} */
    public static FrozenEngine configured() {
        String value = System.getProperty(PROPERTY, System.getenv("GRAFT_FROZEN_ENGINE"));
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (FrozenEngine e : values()) {
            if (e.id.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new GraftException("unknown frozen engine '" + value + "' (" + PROPERTY + " or GRAFT_FROZEN_ENGINE): use auto, onnxruntime or pytorch");
    }
}
