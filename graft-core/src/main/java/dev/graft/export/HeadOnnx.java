package dev.graft.export;

import dev.graft.io.Matrices;
import dev.graft.train.TrainedHead;
import java.util.List;
import java.util.Map;

/** The trained head in an ONNX graph: standardise the features, then Linear (+ ReLU + Linear), softmax. */
final class HeadOnnx {

    private HeadOnnx() {}

    /**
     * Appends the head after {@code features} and declares the outputs {@code logits} and
     * {@code probabilities} (batch, classes).
     *
     * @param g the graph
     * @param features the name of the (batch, features) tensor the head reads
     * @param head the trained head
     */
    static void append(OnnxGraph g, String features, TrainedHead head) {
        int dim = head.scaler().dimension();
        String z = g.op("Div", List.of(g.op("Sub", List.of(features, g.floats("scaler.mean", new long[] {dim}, head.scaler().mean()))),
                g.floats("scaler.scale", new long[] {dim}, head.scaler().scale())));
        Map<String, long[]> headShapes = head.shapes();
        int layers = head.spec().hidden() > 0 ? 2 : 1;
        for (int i = 0; i < layers; i++) {
            String name = "head.dense" + i;
            long[] s = headShapes.get(name + ".weight");
            String out = g.op("Add", List.of(g.op("MatMul", List.of(z, g.floats(name + ".weight_t", new long[] {s[1], s[0]},
                    Matrices.transpose(head.weights().get(name + ".weight"), (int) s[0], (int) s[1])))),
                    g.floats(name + ".bias", new long[] {s[0]}, head.weights().get(name + ".bias"))));
            z = i + 1 < layers ? g.op("Relu", List.of(out)) : g.opNamed("Identity", "logits", List.of(out));
        }
        String calibrated = head.temperature() == 1 ? "logits"
                : g.op("Div", List.of("logits", g.scalar((float) head.temperature())));
        g.opNamed("Softmax", "probabilities", List.of(calibrated), OnnxGraph.Attr.i("axis", -1));
        g.output("logits", OnnxGraph.FLOAT, "batch", (long) head.classes());
        g.output("probabilities", OnnxGraph.FLOAT, "batch", (long) head.classes());
    }
}
