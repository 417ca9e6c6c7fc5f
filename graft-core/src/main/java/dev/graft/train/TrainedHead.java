package dev.graft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained classification head: standardisation, then the head network's weights.
 *
 * @param spec the head's architecture
 * @param scaler standardisation fitted on training features
 * @param classes number of output classes
 * @param weights tensors by stable name ({@code head.dense0.weight} [out, in], {@code …bias})
 * @param temperature the logits are divided by it before the softmax (temperature scaling; 1 leaves
 *     them as trained)
 */
public record TrainedHead(HeadSpec spec, FeatureScaler scaler, int classes, Map<String, float[]> weights,
        double temperature) {

    /**
     * Copies the weights and checks that the temperature is positive and finite.
     *
     * @param spec the head's architecture
     * @param scaler standardisation fitted on training features
     * @param classes number of output classes
     * @param weights tensors by stable name ({@code head.dense0.weight} [out, in], {@code …bias})
     * @param temperature the logits are divided by it before the softmax (temperature scaling; 1 leaves
     *     them as trained)
     */
    public TrainedHead {
        weights = new LinkedHashMap<>(weights);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be positive and finite");
        }
    }

    /**
     * A head whose probabilities are the softmax of its logits as trained (temperature 1).
     *
     * @param spec the head's architecture
     * @param scaler standardisation fitted on training features
     * @param classes number of output classes
     * @param weights tensors by stable name ({@code head.dense0.weight} [out, in], {@code …bias})
     */
    public TrainedHead(HeadSpec spec, FeatureScaler scaler, int classes, Map<String, float[]> weights) {
        this(spec, scaler, classes, weights, 1.0);
    }

    /**
     * Returns the same head with temperature scaling.
     *
     * @param value divides the logits before the softmax; positive and finite
     * @return the same head with its logits divided by {@code value} before the softmax
     */
    public TrainedHead withTemperature(double value) {
        return new TrainedHead(spec, scaler, classes, weights, value);
    }

    /**
     * Scores feature rows: standardises them, runs the head, applies temperature and softmax.
     *
     * @param features backbone features, one row per input
     * @return class probabilities (calibrated by the temperature), one row per input
     */
    public float[][] probabilities(float[][] features) {
        return forward(features, true);
    }

    /**
     * Computes the head's raw outputs for feature rows.
     *
     * @param features backbone features, one row per input
     * @return the head's outputs before temperature and softmax, one row per input
     */
    public float[][] logits(float[][] features) {
        return forward(features, false);
    }

    private float[][] forward(float[][] features, boolean softmax) {
        if (features.length == 0) {
            return new float[0][];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            HeadNetwork net = new HeadNetwork(spec, classes);
            net.initialize(manager, scaler.dimension());
            net.load(weights);
            NDArray x = manager.create(scaler.apply(features), new Shape(features.length, scaler.dimension()));
            NDArray logits = net.block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            NDArray p = softmax ? logits.div((float) temperature).softmax(-1) : logits;
            float[] flat = p.toFloatArray();
            float[][] out = new float[features.length][classes];
            for (int i = 0; i < features.length; i++) {
                System.arraycopy(flat, i * classes, out[i], 0, classes);
            }
            return out;
        }
    }

    /** {@return shapes of the weights, by name} */
    public Map<String, long[]> shapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HeadNetwork net = new HeadNetwork(spec, classes);
            net.initialize(manager, scaler.dimension());
            return net.shapes();
        }
    }

    /** {@return number of trainable scalars in the head} */
    public long parameterCount() {
        long n = 0;
        for (float[] w : weights.values()) {
            n += w.length;
        }
        return n;
    }
}
