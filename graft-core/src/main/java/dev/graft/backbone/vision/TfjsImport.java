package dev.graft.backbone.vision;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.backbone.graph.Activation;
import dev.graft.backbone.graph.BatchNormalization;
import dev.graft.backbone.graph.Convolution;
import dev.graft.backbone.graph.Dense;
import dev.graft.backbone.graph.GraphOp;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.graph.Merge;
import dev.graft.backbone.graph.Padding;
import dev.graft.backbone.graph.Pooling;
import dev.graft.backbone.graph.Reshaping;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link LayerGraph} from a TensorFlow.js layers model (a Keras model converted with
 * {@code tensorflowjs_converter}), from the input to a feature layer. Kernels are turned from
 * Keras' channels-last layouts into {@code [out, in / groups, h, w]}; dense kernels stay
 * {@code [in, out]}. Layers outside the path to the feature layer (the classifier) are dropped;
 * a layer type Graft does not know is refused by name.
 */
public final class TfjsImport {

    /** Keras layer classes the import understands. */
    public static final List<String> SUPPORTED = List.of("InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
            "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Softmax", "Add", "Multiply", "Concatenate",
            "ZeroPadding2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Dense",
            "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "Flatten", "Reshape", "Rescaling");
    private static final Set<String> PASS_THROUGH = Set.of("InputLayer", "Dropout", "SpatialDropout2D", "GaussianNoise",
            "GaussianDropout");
    /** Layers the default feature layer is found behind: a classifier on pooled features. */
    private static final Set<String> CLASSIFIER = Set.of("Dense", "Flatten", "Dropout", "Reshape", "AveragePooling2D",
            "GlobalAveragePooling2D");

    private final TfjsModel model;
    private final NDManager manager;
    private final String source;

    private TfjsImport(TfjsModel model, NDManager manager, String source) {
        this.model = model;
        this.manager = manager;
        this.source = source;
    }

    /**
     * @param model the parsed model
     * @param featureLayer the layer whose output is the feature, or null for the input of the classifier
     * @param manager owns the weights
     * @param source names the model in messages
     * @return the network from the input to the feature layer
     */
    public static LayerGraph build(TfjsModel model, String featureLayer, NDManager manager, String source) {
        return new TfjsImport(model, manager, source).build(featureLayer == null ? defaultFeatureLayer(model) : featureLayer);
    }

    /**
     * The input of the classifier: from the output layer back through dense, dropout, flatten,
     * reshape and average pooling layers, to the first layer of another kind; the output layer
     * itself when it is of another kind (a network without a classifier).
     *
     * @param model the parsed model
     * @return a layer name
     */
    public static String defaultFeatureLayer(TfjsModel model) {
        List<TfjsModel.Layer> layers = model.layers();
        TfjsModel.Layer at = layers.get(layers.size() - 1);
        Set<String> seen = new HashSet<>();
        while (CLASSIFIER.contains(at.className()) && at.inbound().size() == 1 && seen.add(at.name())) {
            at = model.layer(at.inbound().get(0));
        }
        return at.name();
    }

    /** {@return the input's channel count and size, from the input layer ({@code -1} when not fixed)} */
    static int[] inputShape(TfjsModel model) {
        for (TfjsModel.Layer l : model.layers()) {
            if (l.className().equals("InputLayer")) {
                JsonNode shape = l.config().has("batch_input_shape") ? l.config().path("batch_input_shape")
                        : l.config().path("batch_shape");
                return new int[] {shape.path(3).asInt(3), shape.path(1).asInt(-1)};
            }
        }
        return new int[] {3, -1};
    }

    private LayerGraph build(String featureLayer) {
        if (!model.hasLayer(featureLayer)) {
            throw new GraftException(source + " has no layer '" + featureLayer + "'; name one of its layers after '#'");
        }
        Set<String> needed = ancestors(featureLayer);
        Map<String, Integer> index = new HashMap<>();
        List<LayerGraph.Node> nodes = new ArrayList<>();
        for (TfjsModel.Layer layer : model.layers()) {
            if (!needed.contains(layer.name())) {
                continue;
            }
            int[] inputs = new int[layer.inbound().size()];
            for (int i = 0; i < inputs.length; i++) {
                Integer in = index.get(layer.inbound().get(i));
                if (in == null) {
                    throw bad(layer, "reads '" + layer.inbound().get(i) + "', which comes later in the topology");
                }
                inputs[i] = in;
            }
            if (layer.className().equals("InputLayer")) {
                index.put(layer.name(), LayerGraph.INPUT);
                continue;
            }
            if (inputs.length == 0) {
                throw bad(layer, "has no input");
            }
            boolean linear = layer.className().equals("Activation") && activation(layer, "activation") == null;
            if (PASS_THROUGH.contains(layer.className()) || linear) {
                index.put(layer.name(), inputs[0]);
                continue;
            }
            if (layer.className().equals("SeparableConv2D")) {
                nodes.add(new LayerGraph.Node(layer.name() + "/depthwise", separableDepthwise(layer), inputs));
                inputs = new int[] {nodes.size() - 1};
            }
            GraphOp op;
            try {
                op = op(layer, inputs.length);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw bad(layer, "has a malformed configuration or weight (" + e.getMessage() + ")");
            }
            nodes.add(new LayerGraph.Node(layer.name(), op, inputs));
            index.put(layer.name(), nodes.size() - 1);
        }
        if (index.get(featureLayer) == null || index.get(featureLayer) != nodes.size() - 1) {
            throw new GraftException(source + ": the feature layer '" + featureLayer
                    + "' passes its input through unchanged; name the layer that computes it");
        }
        return new LayerGraph(nodes, inputShape(model)[0]);
    }

    private Set<String> ancestors(String layer) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(layer));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name)) {
                todo.addAll(model.layer(name).inbound());
            }
        }
        return seen;
    }

    private GraphOp op(TfjsModel.Layer layer, int inputCount) {
        JsonNode c = layer.config();
        String format = c.path("data_format").asText("channels_last");
        if (!format.equals("channels_last")) {
            throw bad(layer, "has data_format '" + format + "'; only channels_last is supported");
        }
        return switch (layer.className()) {
            case "Conv2D" -> convolution(layer, false);
            case "DepthwiseConv2D" -> convolution(layer, true);
            case "SeparableConv2D" -> pointwise(layer);
            case "BatchNormalization" -> batchNorm(layer);
            case "Activation" -> activation(layer, "activation");
            case "ReLU" -> relu(layer);
            case "LeakyReLU" -> new Activation(Activation.Kind.LEAKY_RELU,
                    (float) c.path(c.has("negative_slope") ? "negative_slope" : "alpha").asDouble(0.3), 0);
            case "Softmax" -> {
                requireChannelAxis(layer, c.path("axis"));
                yield Activation.of(Activation.Kind.SOFTMAX);
            }
            case "Add" -> new Merge(Merge.Kind.ADD);
            case "Multiply" -> new Merge(Merge.Kind.MULTIPLY);
            case "Concatenate" -> {
                requireChannelAxis(layer, c.path("axis"));
                yield new Merge(Merge.Kind.CONCAT);
            }
            case "ZeroPadding2D" -> zeroPadding(layer);
            case "MaxPooling2D", "AveragePooling2D" -> pooling(layer);
            case "GlobalAveragePooling2D" -> Pooling.global(false, c.path("keepdims").asBoolean(false));
            case "GlobalMaxPooling2D" -> Pooling.global(true, c.path("keepdims").asBoolean(false));
            case "Dense" -> dense(layer);
            case "Flatten" -> Reshaping.flatten(true);
            case "Reshape" -> Reshaping.reshape(true, longs(layer, c.path("target_shape")));
            case "Rescaling" -> Reshaping.rescale(number(layer, c.path("scale")), (float) c.path("offset").asDouble(0));
            default -> throw new GraftException(source + ": layer '" + layer.name() + "' is a " + layer.className()
                    + ", which Graft's TensorFlow.js import does not support; supported: " + String.join(", ", SUPPORTED));
        };
    }

    private Convolution convolution(TfjsModel.Layer layer, boolean depthwise) {
        JsonNode c = layer.config();
        String kernelName = layer.name() + (depthwise ? "/depthwise_kernel" : "/kernel");
        TfjsModel.Weight w = weight(kernelName, 4);
        int kh = (int) w.shape()[0];
        int kw = (int) w.shape()[1];
        int in = (int) w.shape()[2];
        int out = (int) w.shape()[3];
        int groups;
        float[] kernel;
        Shape shape;
        if (depthwise) {
            kernel = depthwiseKernel(w);
            groups = in;
            shape = new Shape((long) in * out, 1, kh, kw);
        } else {
            int declaredGroups = c.path("groups").asInt(1);
            groups = Math.max(1, declaredGroups);
            kernel = convKernel(w);
            shape = new Shape(out, in, kh, kw);
        }
        Parameter k = LayerGraph.parameter(manager, kernelName, kernel, shape);
        Parameter bias = c.path("use_bias").asBoolean(true)
                ? vectorParameter(layer.name() + "/bias", (int) shape.get(0)) : null;
        return new Convolution(k, bias, pair(layer, c.path("strides"), 1), pair(layer, c.path("dilation_rate"), 1),
                padding(layer), groups, activation(layer, "activation"));
    }

    private Convolution separableDepthwise(TfjsModel.Layer layer) {
        TfjsModel.Weight w = weight(layer.name() + "/depthwise_kernel", 4);
        int in = (int) w.shape()[2];
        Parameter k = LayerGraph.parameter(manager, layer.name() + "/depthwise_kernel", depthwiseKernel(w),
                new Shape(in * w.shape()[3], 1, w.shape()[0], w.shape()[1]));
        JsonNode c = layer.config();
        return new Convolution(k, null, pair(layer, c.path("strides"), 1), pair(layer, c.path("dilation_rate"), 1),
                padding(layer), in, null);
    }

    private Convolution pointwise(TfjsModel.Layer layer) {
        TfjsModel.Weight w = weight(layer.name() + "/pointwise_kernel", 4);
        int out = (int) w.shape()[3];
        Parameter k = LayerGraph.parameter(manager, layer.name() + "/pointwise_kernel", convKernel(w),
                new Shape(out, w.shape()[2], 1, 1));
        Parameter bias = layer.config().path("use_bias").asBoolean(true) ? vectorParameter(layer.name() + "/bias", out) : null;
        return new Convolution(k, bias, new int[] {1, 1}, new int[] {1, 1}, Padding.VALID, 1, activation(layer, "activation"));
    }

    /** Keras {@code [h, w, in, out]} to {@code [out, in, h, w]}. */
    private static float[] convKernel(TfjsModel.Weight w) {
        int kh = (int) w.shape()[0];
        int kw = (int) w.shape()[1];
        int in = (int) w.shape()[2];
        int out = (int) w.shape()[3];
        float[] v = w.values();
        float[] k = new float[v.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        k[((o * in + i) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * out + o];
                    }
                }
            }
        }
        return k;
    }

    /** Keras {@code [h, w, in, multiplier]} to {@code [in·multiplier, 1, h, w]}, output channel {@code i·multiplier + m}. */
    private static float[] depthwiseKernel(TfjsModel.Weight w) {
        int kh = (int) w.shape()[0];
        int kw = (int) w.shape()[1];
        int in = (int) w.shape()[2];
        int mult = (int) w.shape()[3];
        float[] v = w.values();
        float[] k = new float[v.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int m = 0; m < mult; m++) {
                        k[((i * mult + m) * kh + y) * kw + x] = v[((y * kw + x) * in + i) * mult + m];
                    }
                }
            }
        }
        return k;
    }

    private BatchNormalization batchNorm(TfjsModel.Layer layer) {
        JsonNode c = layer.config();
        requireChannelAxis(layer, c.path("axis"));
        String n = layer.name();
        float[] mean = weight(n + "/moving_mean", 1).values();
        int channels = mean.length;
        Parameter gamma = c.path("scale").asBoolean(true) ? vectorParameter(n + "/gamma", channels) : null;
        Parameter beta = c.path("center").asBoolean(true) ? vectorParameter(n + "/beta", channels) : null;
        float[] variance = vector(n + "/moving_variance", channels);
        return new BatchNormalization(n, gamma, beta, manager.create(mean), manager.create(variance),
                (float) c.path("epsilon").asDouble(1e-3), (float) c.path("momentum").asDouble(0.99));
    }

    private Activation relu(TfjsModel.Layer layer) {
        JsonNode c = layer.config();
        if (c.path("threshold").asDouble(0) != 0) {
            throw bad(layer, "has a ReLU threshold; only 0 is supported");
        }
        double slope = c.path("negative_slope").asDouble(0);
        JsonNode max = c.path("max_value");
        if (!max.isMissingNode() && !max.isNull()) {
            if (slope != 0) {
                throw bad(layer, "has both max_value and negative_slope");
            }
            return new Activation(Activation.Kind.CLIP, 0, (float) max.asDouble());
        }
        return slope == 0 ? Activation.of(Activation.Kind.RELU) : new Activation(Activation.Kind.LEAKY_RELU, (float) slope, 0);
    }

    /** The activation named by a config field; null for linear. */
    private Activation activation(TfjsModel.Layer layer, String field) {
        String name = layer.config().path(field).asText("linear");
        return switch (name) {
            case "linear" -> null;
            case "relu" -> Activation.of(Activation.Kind.RELU);
            case "relu6" -> Activation.of(Activation.Kind.CLIP);
            case "sigmoid" -> Activation.of(Activation.Kind.SIGMOID);
            case "hard_sigmoid", "hardSigmoid" -> Activation.of(Activation.Kind.HARD_SIGMOID);
            case "hard_swish", "hardSwish" -> Activation.of(Activation.Kind.HARD_SWISH);
            case "swish", "silu" -> Activation.of(Activation.Kind.SWISH);
            case "tanh" -> Activation.of(Activation.Kind.TANH);
            case "elu" -> Activation.of(Activation.Kind.ELU);
            case "softplus" -> Activation.of(Activation.Kind.SOFTPLUS);
            case "softmax" -> Activation.of(Activation.Kind.SOFTMAX);
            default -> throw bad(layer, "uses activation '" + name + "', which Graft does not support (supported: linear,"
                    + " relu, relu6, sigmoid, hard_sigmoid, hard_swish, swish, tanh, elu, softplus, softmax)");
        };
    }

    private Reshaping zeroPadding(TfjsModel.Layer layer) {
        JsonNode p = layer.config().path("padding");
        int[] pad;
        if (p.isInt()) {
            pad = new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        } else if (p.path(0).isInt()) {
            pad = new int[] {p.path(0).asInt(), p.path(0).asInt(), p.path(1).asInt(), p.path(1).asInt()};
        } else {
            pad = new int[] {p.path(0).path(0).asInt(-1), p.path(0).path(1).asInt(-1), p.path(1).path(0).asInt(-1),
                    p.path(1).path(1).asInt(-1)};
        }
        for (int v : pad) {
            if (v < 0 || v > 1024) {
                throw bad(layer, "has padding " + p);
            }
        }
        return Reshaping.pad(pad[0], pad[1], pad[2], pad[3]);
    }

    private Pooling pooling(TfjsModel.Layer layer) {
        JsonNode c = layer.config();
        int[] size = pair(layer, c.path("pool_size"), 2);
        JsonNode strides = c.path("strides");
        int[] stride = strides.isNull() || strides.isMissingNode() ? size : pair(layer, strides, 1);
        return new Pooling(layer.className().startsWith("Max"), size, stride, padding(layer), false);
    }

    private Dense dense(TfjsModel.Layer layer) {
        TfjsModel.Weight w = weight(layer.name() + "/kernel", 2);
        Parameter k = LayerGraph.parameter(manager, layer.name() + "/kernel", w.values(),
                new Shape(w.shape()[0], w.shape()[1]));
        int out = (int) w.shape()[1];
        Parameter bias = layer.config().path("use_bias").asBoolean(true) ? vectorParameter(layer.name() + "/bias", out) : null;
        return new Dense(k, bias, activation(layer, "activation"));
    }

    private Padding padding(TfjsModel.Layer layer) {
        String p = layer.config().path("padding").asText("valid");
        return switch (p) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            default -> throw bad(layer, "has padding '" + p + "'; only valid and same are supported");
        };
    }

    private int[] pair(TfjsModel.Layer layer, JsonNode node, int fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return new int[] {fallback, fallback};
        }
        int a = node.isInt() ? node.asInt() : node.path(0).asInt(-1);
        int b = node.isInt() ? node.asInt() : node.path(1).asInt(-1);
        if (a < 1 || b < 1 || a > 4096 || b > 4096) {
            throw bad(layer, "has an invalid size pair " + node);
        }
        return new int[] {a, b};
    }

    private long[] longs(TfjsModel.Layer layer, JsonNode node) {
        if (!node.isArray() || node.isEmpty() || node.size() > 3) {
            throw bad(layer, "has target_shape " + node + "; expected 1 to 3 sizes");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong(0);
            if (out[i] == 0 || out[i] < -1) {
                throw bad(layer, "has target_shape " + node);
            }
        }
        return out;
    }

    private float number(TfjsModel.Layer layer, JsonNode node) {
        if (!node.isNumber()) {
            throw bad(layer, "has a scale that is not a single number (" + node + ")");
        }
        return (float) node.asDouble();
    }

    private void requireChannelAxis(TfjsModel.Layer layer, JsonNode axis) {
        JsonNode a = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        if (!a.isMissingNode() && !(a.isInt() && (a.asInt() == -1 || a.asInt() == 3))) {
            throw bad(layer, "works on axis " + axis + "; only the channel axis (-1 or 3) is supported");
        }
    }

    private TfjsModel.Weight weight(String name, int rank) {
        TfjsModel.Weight w = model.weights().get(name);
        if (w == null) {
            throw new GraftException(source + ": weight " + name + " is missing from the weights manifest");
        }
        if (w.shape().length != rank) {
            throw new GraftException(source + ": weight " + name + " has shape " + Arrays.toString(w.shape()) + ", expected rank "
                    + rank);
        }
        return w;
    }

    private float[] vector(String name, int length) {
        TfjsModel.Weight w = weight(name, 1);
        if (w.values().length != length) {
            throw new GraftException(source + ": weight " + name + " has " + w.values().length + " values, expected " + length);
        }
        return w.values();
    }

    private Parameter vectorParameter(String name, int length) {
        return LayerGraph.parameter(manager, name, vector(name, length), new Shape(length));
    }

    private GraftException bad(TfjsModel.Layer layer, String what) {
        return new GraftException(source + ": layer '" + layer.name() + "' (" + layer.className() + ") " + what);
    }
}
