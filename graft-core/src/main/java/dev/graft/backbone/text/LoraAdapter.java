package dev.graft.backbone.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.graft.backbone.Scalars;
import java.util.Random;

/**
 * A low-rank update beside a frozen linear layer: {@code y = W·x + b + scale · B·(A·x)}, A (r, in)
 * random, B (out, r) zero, so the adapted layer starts equal to the pretrained one.
 */
final class LoraAdapter {

    final Parameter a;
    final Parameter b;
    final float scale;
    private final float dropout;

    LoraAdapter(NDManager manager, int in, int out, int rank, float scale, float dropout, Random random) {
        float[] init = new float[rank * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        this.a = parameter(manager.create(init, new Shape(rank, in)), "lora_A");
        this.b = parameter(manager.zeros(new Shape(out, rank)), "lora_B");
        this.scale = scale;
        this.dropout = dropout;
    }

    private static Parameter parameter(NDArray value, String name) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(value.getShape())
                .optArray(value).build();
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** {@return {@code scale · B·(A·x)} for x (…, in)} */
    NDArray delta(ParameterStore ps, NDArray x, boolean training) {
        NDArray av = ps.getValue(a, x.getDevice(), training);
        NDArray bv = ps.getValue(b, x.getDevice(), training);
        NDArray in = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        // linear(x, W) = x·Wᵀ, created in x's manager: no view of a parameter outlives the step
        NDArray down = Linear.linear(in, av).singletonOrThrow();
        return Scalars.times(Linear.linear(down, bv).singletonOrThrow(), scale);
    }

    /** {@return {@code scale · B·A}, shaped like the layer's weight (out, in)} */
    float[] merged() {
        try (NDArray product = b.getArray().matMul(a.getArray()).mul(scale)) {
            return product.toFloatArray();
        }
    }
}
