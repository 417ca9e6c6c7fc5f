package dev.graft.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The DJL block of a head and the stable names of its weights ({@code head.dense0.weight}, [out, in]). */
final class HeadNetwork {

    final SequentialBlock block;
    final List<Linear> dense = new ArrayList<>();

    HeadNetwork(HeadSpec spec, int classes) {
        block = new SequentialBlock();
        if (spec.hidden() > 0) {
            dense.add(Linear.builder().setUnits(spec.hidden()).build());
            block.add(dense.get(0));
            block.add(Activation::relu);
            if (spec.dropout() > 0) {
                block.add(Dropout.builder().optRate((float) spec.dropout()).build());
            }
        }
        Linear out = Linear.builder().setUnits(classes).build();
        dense.add(out);
        block.add(out);
    }

    void initialize(NDManager manager, int inputs) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));
    }

    Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            out.put("head.dense" + i + ".weight", dense.get(i).getParameters().get("weight").getArray().toFloatArray());
            out.put("head.dense" + i + ".bias", dense.get(i).getParameters().get("bias").getArray().toFloatArray());
        }
        return out;
    }

    Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            out.put("head.dense" + i + ".weight", dense.get(i).getParameters().get("weight").getArray().getShape().getShape());
            out.put("head.dense" + i + ".bias", dense.get(i).getParameters().get("bias").getArray().getShape().getShape());
        }
        return out;
    }

    void load(Map<String, float[]> weights) {
        Map<String, long[]> shapes = shapes();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            float[] values = weights.get(e.getKey());
            long expected = new Shape(e.getValue()).size();
            if (values == null || values.length != expected) {
                throw new IllegalArgumentException("head weight " + e.getKey() + " missing or of wrong size");
            }
        }
        for (int i = 0; i < dense.size(); i++) {
            dense.get(i).getParameters().get("weight").getArray().set(weights.get("head.dense" + i + ".weight"));
            dense.get(i).getParameters().get("bias").getArray().set(weights.get("head.dense" + i + ".bias"));
        }
    }

    long parameterCount() {
        long n = 0;
        for (Block d : dense) {
            for (var p : d.getParameters()) {
                n += p.getValue().getArray().getShape().size();
            }
        }
        return n;
    }
}
