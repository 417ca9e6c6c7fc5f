package dev.graft.backbone.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Random;

/** Trainable keys and values (tokens, hidden) that every query of a block may attend to. */
final class PrefixAdapter {

    final Parameter keys;
    final Parameter values;
    final int tokens;

    PrefixAdapter(NDManager manager, int tokens, int hidden, Random random) {
        this.tokens = tokens;
        this.keys = parameter(manager, tokens, hidden, random, "prefix_key");
        this.values = parameter(manager, tokens, hidden, random, "prefix_value");
    }

    private static Parameter parameter(NDManager manager, int tokens, int hidden, Random random, String name) {
        float[] init = new float[tokens * hidden];
        for (int i = 0; i < init.length; i++) {
            init[i] = (float) (random.nextGaussian() * 0.02);
        }
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(tokens, hidden)).optArray(manager.create(init, new Shape(tokens, hidden))).build();
        p.getArray().setRequiresGradient(true);
        return p;
    }
}
