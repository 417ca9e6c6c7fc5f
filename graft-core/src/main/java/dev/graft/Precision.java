package dev.graft;

import java.util.Locale;

/**
 * The arithmetic a model runs in. Training keeps float32 master weights whatever is chosen here.
 */
public enum Precision {
    /** 32-bit floats everywhere: the reference. */
    FP32("fp32"),
    /**
     * Frozen encoders and exports with int8 weights (per output column, symmetric) and activations
     * quantised to uint8 on the fly, on ONNX Runtime's integer kernels; features differ from float32
     * by quantisation noise, so the feature cache keeps them apart.
     */
    INT8("int8");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** {@return the name used in options, e.g. {@code int8}} */
    public String id() {
        return id;
    }

    /** {@return how a backbone's preprocessing key names this precision, e.g. {@code precision=int8}} */
    public String keyPart() {
        return "precision=" + id;
    }

    /**
     * Reads the precision a backbone's preprocessing key names (a bundle records it so).
     *
     * @param preprocessingKey a key as {@code Backbone.preprocessingKey()} writes it, or null
     * @return the precision it names, {@link #FP32} when it names none
     */
    public static Precision ofKey(String preprocessingKey) {
        if (preprocessingKey != null) {
            for (String part : preprocessingKey.split(";")) {
                for (Precision p : values()) {
                    if (part.equals(p.keyPart())) {
                        return p;
                    }
                }
            }
        }
        return FP32;
    }

    /**
     * Reads a precision by name.
     *
     * @param name {@code fp32} or {@code int8}, any case
     * @return that precision
     * @throws GraftException if the name is not one
     */
    public static Precision parse(String name) {
        String id = name.strip().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        if (id.equals("bf16") || id.equals("bfloat16")) {
            throw new GraftException(Parameter.PRECISION, name, "is not available: fine-tuning runs on DJL's PyTorch engine,"
                    + " whose native layer has no bfloat16 tensors (it maps float32, float64, float16, int and bool types only)"
                    + (dev.graft.export.CpuFeatures.current().bf16() ? "" : ", and this CPU has no bfloat16 units")
                    + "; fine-tune in fp32, and use int8 for frozen features and exports");
        }
        throw new GraftException(Parameter.PRECISION, name, "is not known; use fp32 or int8");
    }
}
