package dev.graft.backbone.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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
 * Builds a {@link LayerGraph} from an ONNX convolutional network, from its image input to a
 * feature node. Weights come from initializers or {@code Constant} nodes; kernels are already
 * {@code [out, in / groups, h, w]}. Nodes outside the path to the feature node (the classifier)
 * are dropped; an operator Graft does not know is refused by name.
 */
public final class OnnxImport {

    /** Operators the import understands. */
    public static final List<String> SUPPORTED = List.of("Conv", "BatchNormalization", "Relu", "Clip", "LeakyRelu",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu", "Softplus", "Softmax", "Add", "Sub", "Mul", "Div",
            "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Flatten", "Reshape",
            "Pad", "Identity", "Dropout", "Constant");
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Dropout");

    private final OnnxModel model;
    private final NDManager manager;
    private final String source;
    private final Map<String, OnnxModel.Tensor> constants = new HashMap<>();
    private final Map<String, OnnxModel.Node> producer = new HashMap<>();

    private OnnxImport(OnnxModel model, NDManager manager, String source) {
        this.model = model;
        this.manager = manager;
        this.source = source;
        constants.putAll(model.initializers());
        for (OnnxModel.Node n : model.nodes()) {
            if (n.op().equals("Constant") && n.attributes().containsKey("value") && n.attributes().get("value").t() != null) {
                constants.put(n.outputs().get(0), n.attributes().get("value").t());
            }
            for (String out : n.outputs()) {
                producer.put(out, n);
            }
        }
    }

    /**
     * @param model the parsed model
     * @param featureNode the value (a node output) that is the feature, or null for the pooled features
     * @param manager owns the weights
     * @param source names the model in messages
     * @return the network from the image input to the feature node
     */
    public static LayerGraph build(OnnxModel model, String featureNode, NDManager manager, String source) {
        OnnxImport importer = new OnnxImport(model, manager, source);
        return importer.build(featureNode == null ? importer.defaultFeature() : featureNode);
    }

    /**
     * @param model the parsed model
     * @param source names it in messages
     * @return the image input: the first graph input, which must be (batch, channels, height, width)
     */
    public static OnnxModel.Value imageInput(OnnxModel model, String source) {
        if (model.inputs().isEmpty()) {
            throw new GraftException(source + " has no graph input");
        }
        OnnxModel.Value in = model.inputs().get(0);
        if (in.dims().length != 4) {
            throw new GraftException(source + ": the input '" + in.name() + "' has shape " + Arrays.toString(in.dims())
                    + "; Graft imports networks that take images (batch, channels, height, width)");
        }
        return in;
    }

    /** The output of the last global average pool, else the input of the first Gemm or MatMul, else the last output. */
    private String defaultFeature() {
        if (model.nodes().isEmpty()) {
            throw new GraftException(source + " has no nodes; it is not a network");
        }
        String pooled = null;
        for (OnnxModel.Node n : model.nodes()) {
            if (n.op().equals("GlobalAveragePool")) {
                pooled = n.outputs().get(0);
            }
        }
        if (pooled != null) {
            return pooled;
        }
        for (OnnxModel.Node n : model.nodes()) {
            if ((n.op().equals("Gemm") || n.op().equals("MatMul")) && !n.inputs().isEmpty()
                    && !constants.containsKey(n.inputs().get(0))) {
                return n.inputs().get(0);
            }
        }
        return model.outputs().isEmpty() ? model.nodes().get(model.nodes().size() - 1).outputs().get(0)
                : model.outputs().get(0).name();
    }

    private LayerGraph build(String feature) {
        String input = imageInput(model, source).name();
        if (!producer.containsKey(feature) || constants.containsKey(feature)) {
            throw new GraftException(source + " has no node output '" + feature + "'; name one after '#'");
        }
        Set<OnnxModel.Node> needed = ancestors(feature, input);
        Map<String, Integer> index = new HashMap<>();
        index.put(input, LayerGraph.INPUT);
        List<LayerGraph.Node> nodes = new ArrayList<>();
        for (OnnxModel.Node n : model.nodes()) {
            if (!needed.contains(n) || n.op().equals("Constant")) {
                continue;
            }
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                throw bad(n, "is an operator of domain '" + n.domain() + "', which Graft does not support");
            }
            List<Integer> inputs = new ArrayList<>();
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !constants.containsKey(in)) {
                    Integer at = index.get(in);
                    if (at == null) {
                        throw bad(n, "reads '" + in + "', which no earlier node computes");
                    }
                    inputs.add(at);
                }
            }
            if (inputs.isEmpty()) {
                throw bad(n, "reads no image value; constant folding is not supported");
            }
            if (PASS_THROUGH.contains(n.op())) {
                index.put(n.outputs().get(0), inputs.get(0));
                continue;
            }
            if (n.op().equals("Add") && inputs.size() == 1 && foldBias(n, nodes, inputs.get(0))) {
                index.put(n.outputs().get(0), inputs.get(0));
                continue;
            }
            GraphOp op;
            try {
                op = op(n, inputs.size());
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw bad(n, "lacks an input or has a malformed weight (" + e.getMessage() + ")");
            }
            nodes.add(new LayerGraph.Node(n.name(), op, inputs.stream().mapToInt(Integer::intValue).toArray()));
            index.put(n.outputs().get(0), nodes.size() - 1);
        }
        if (index.get(feature) == null || index.get(feature) != nodes.size() - 1) {
            throw new GraftException(source + ": the feature '" + feature + "' passes its input through unchanged; name the"
                    + " node that computes it");
        }
        return new LayerGraph(nodes, (int) Math.max(imageInput(model, source).dims()[1], 1));
    }

    private Set<OnnxModel.Node> ancestors(String value, String input) {
        Set<OnnxModel.Node> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(value));
        Set<String> visited = new HashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!visited.add(v) || v.equals(input) || v.isEmpty()) {
                continue;
            }
            OnnxModel.Node n = producer.get(v);
            if (n == null) {
                if (!constants.containsKey(v)) {
                    throw new GraftException(source + ": value '" + v + "' is neither computed, an initializer nor the"
                            + " image input; the network has a second input, which Graft does not support");
                }
                continue;
            }
            if (seen.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        return seen;
    }

    private GraphOp op(OnnxModel.Node n, int imageInputs) {
        return switch (n.op()) {
            case "Conv" -> convolution(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu" -> Activation.of(Activation.Kind.RELU);
            case "Clip" -> clip(n);
            case "LeakyRelu" -> new Activation(Activation.Kind.LEAKY_RELU, n.real("alpha", 0.01f), 0);
            case "Sigmoid" -> Activation.of(Activation.Kind.SIGMOID);
            case "HardSigmoid" -> new Activation(Activation.Kind.HARD_SIGMOID, n.real("alpha", 0.2f), n.real("beta", 0.5f));
            case "HardSwish" -> Activation.of(Activation.Kind.HARD_SWISH);
            case "Tanh" -> Activation.of(Activation.Kind.TANH);
            case "Elu" -> new Activation(Activation.Kind.ELU, n.real("alpha", 1f), 0);
            case "Softplus" -> Activation.of(Activation.Kind.SOFTPLUS);
            case "Softmax" -> {
                long axis = n.integer("axis", -1);
                if (axis != 1 && axis != -1) {
                    throw bad(n, "takes the softmax over axis " + axis + "; only the channels (1) are supported");
                }
                yield Activation.of(Activation.Kind.SOFTMAX);
            }
            case "Add", "Sub", "Mul", "Div" -> arithmetic(n, imageInputs);
            case "Concat" -> {
                if (n.integer("axis", 1) != 1) {
                    throw bad(n, "concatenates over axis " + n.integer("axis", 1) + "; only the channels (1) are supported");
                }
                yield new Merge(Merge.Kind.CONCAT);
            }
            case "MaxPool", "AveragePool" -> pooling(n);
            case "GlobalAveragePool" -> Pooling.global(false, true);
            case "GlobalMaxPool" -> Pooling.global(true, true);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            case "Flatten" -> {
                if (n.integer("axis", 1) != 1) {
                    throw bad(n, "flattens from axis " + n.integer("axis", 1) + "; only axis 1 is supported");
                }
                yield Reshaping.flatten(false);
            }
            case "Reshape" -> reshape(n);
            case "Pad" -> pad(n);
            default -> throw bad(n, "is not supported by Graft's ONNX import; supported: " + String.join(", ", SUPPORTED));
        };
    }

    private Convolution convolution(OnnxModel.Node n) {
        OnnxModel.Tensor w = weight(n, 1, 4);
        long[] k = w.dims();
        Parameter kernel = LayerGraph.parameter(manager, n.inputs().get(1), w.floats(), new Shape(k));
        Parameter bias = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()
                ? LayerGraph.parameter(manager, n.inputs().get(2), vector(n, 2, k[0]), new Shape(k[0])) : null;
        int groups = (int) n.integer("group", 1);
        if (groups < 1 || k[1] * groups > 1 << 16) {
            throw bad(n, "has group " + groups);
        }
        return new Convolution(kernel, bias, pair(n, "strides"), pair(n, "dilations"), padding(n), groups, null);
    }

    private BatchNormalization batchNorm(OnnxModel.Node n) {
        long c = weight(n, 1, 1).dims()[0];
        String name = n.name();
        Parameter gamma = LayerGraph.parameter(manager, n.inputs().get(1), vector(n, 1, c), new Shape(c));
        Parameter beta = LayerGraph.parameter(manager, n.inputs().get(2), vector(n, 2, c), new Shape(c));
        return new BatchNormalization(name, gamma, beta, manager.create(vector(n, 3, c)), manager.create(vector(n, 4, c)),
                n.real("epsilon", 1e-5f), n.real("momentum", 0.9f));
    }

    private Activation clip(OnnxModel.Node n) {
        float low = n.real("min", -Float.MAX_VALUE);
        float high = n.real("max", Float.MAX_VALUE);
        if (n.inputs().size() > 1 && !n.inputs().get(1).isEmpty()) {
            low = scalar(n, 1);
        }
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
            high = scalar(n, 2);
        }
        return new Activation(Activation.Kind.CLIP, low, high);
    }

    /** Two computed inputs: a residual sum or a gate. One constant scalar: {@code x·scale + offset}. */
    private GraphOp arithmetic(OnnxModel.Node n, int imageInputs) {
        if (imageInputs >= 2) {
            return switch (n.op()) {
                case "Add" -> new Merge(Merge.Kind.ADD);
                case "Mul" -> new Merge(Merge.Kind.MULTIPLY);
                default -> throw bad(n, "combines two computed values; only Add and Mul of two values are supported");
            };
        }
        int constantAt = constants.containsKey(n.inputs().get(0)) ? 0 : 1;
        float c = scalar(n, constantAt);
        boolean constantFirst = constantAt == 0;
        return switch (n.op()) {
            case "Add" -> Reshaping.rescale(1, c);
            case "Mul" -> Reshaping.rescale(c, 0);
            case "Sub" -> constantFirst ? Reshaping.rescale(-1, c) : Reshaping.rescale(1, -c);
            default -> {
                if (constantFirst || c == 0) {
                    throw bad(n, "divides by a computed value or by zero; only division by a constant is supported");
                }
                yield Reshaping.rescale(1 / c, 0);
            }
        };
    }

    private Pooling pooling(OnnxModel.Node n) {
        long[] shape = n.integers("kernel_shape");
        if (shape == null || shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > 4096 || shape[1] > 4096) {
            throw bad(n, "has kernel_shape " + Arrays.toString(shape) + "; two positive sizes are needed");
        }
        if (n.integer("ceil_mode", 0) != 0) {
            throw bad(n, "uses ceil_mode; only floor is supported");
        }
        Padding padding = padding(n);
        boolean padded = padding.same() || padding.top() + padding.bottom() + padding.left() + padding.right() > 0;
        if (n.op().equals("AveragePool") && n.integer("count_include_pad", 0) != 0 && padded) {
            throw bad(n, "counts padded pixels in its average (count_include_pad=1); only 0 is supported");
        }
        if (n.integers("dilations") != null && Arrays.stream(n.integers("dilations")).anyMatch(d -> d != 1)) {
            throw bad(n, "is dilated; only dilation 1 is supported for pooling");
        }
        return new Pooling(n.op().equals("MaxPool"), new int[] {(int) shape[0], (int) shape[1]}, pair(n, "strides"), padding,
                false);
    }

    private Dense gemm(OnnxModel.Node n) {
        if (n.integer("transA", 0) != 0) {
            throw bad(n, "transposes its input (transA=1)");
        }
        OnnxModel.Tensor b = weight(n, 1, 2);
        boolean transposed = n.integer("transB", 0) != 0;
        int rows = (int) b.dims()[0];
        int cols = (int) b.dims()[1];
        float alpha = n.real("alpha", 1f);
        float[] kernel = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = b.floats()[r * cols + c] * alpha;
                if (transposed) {
                    kernel[c * rows + r] = v;
                } else {
                    kernel[r * cols + c] = v;
                }
            }
        }
        int out = transposed ? rows : cols;
        Parameter k = LayerGraph.parameter(manager, n.inputs().get(1), kernel, new Shape(transposed ? cols : rows, out));
        Parameter bias = null;
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
            float[] c = vector(n, 2, out);
            float beta = n.real("beta", 1f);
            float[] scaled = new float[out];
            for (int i = 0; i < out; i++) {
                scaled[i] = c[i] * beta;
            }
            bias = LayerGraph.parameter(manager, n.inputs().get(2), scaled, new Shape(out));
        }
        return new Dense(k, bias, null);
    }

    /**
     * A MatMul followed by the Add of a constant vector is how exporters write a dense layer with a
     * bias: the bias joins the Dense, so that it trains with it.
     *
     * @return whether {@code add} was folded into the node at {@code at}
     */
    private boolean foldBias(OnnxModel.Node add, List<LayerGraph.Node> nodes, int at) {
        if (add.inputs().size() != 2 || at != nodes.size() - 1 || !(nodes.get(at).op() instanceof Dense d) || d.bias() != null
                || d.activation() != null) {
            return false;
        }
        int constantAt = constants.containsKey(add.inputs().get(0)) ? 0 : 1;
        String constant = add.inputs().get(constantAt);
        String computed = add.inputs().get(1 - constantAt);
        OnnxModel.Tensor bias = constants.get(constant);
        long width = d.kernel().getArray().getShape().get(1);
        boolean onlyReader = model.nodes().stream().filter(m -> m.inputs().contains(computed)).count() == 1;
        if (bias == null || bias.floats() == null || bias.dims().length != 1 || bias.floats().length != width || !onlyReader) {
            return false;
        }
        LayerGraph.Node dense = nodes.get(at);
        nodes.set(at, new LayerGraph.Node(dense.name(), new Dense(d.kernel(),
                LayerGraph.parameter(manager, constant, bias.floats(), new Shape(width)), null), dense.inputs()));
        return true;
    }

    private Dense matMul(OnnxModel.Node n) {
        OnnxModel.Tensor b = weight(n, 1, 2);
        return new Dense(LayerGraph.parameter(manager, n.inputs().get(1), b.floats(), new Shape(b.dims())), null, null);
    }

    private Reshaping reshape(OnnxModel.Node n) {
        OnnxModel.Tensor shape = constants.get(n.inputs().get(1));
        if (shape == null || shape.longs() == null || shape.longs().length < 2 || shape.longs().length > 4) {
            throw bad(n, "has a computed or unsupported target shape; only constant shapes of rank 2 to 4 are supported");
        }
        long[] target = Arrays.copyOfRange(shape.longs(), 1, shape.longs().length);
        if (target.length == 1 && (target[0] == -1 || target[0] > 0)) {
            return Reshaping.flatten(false);
        }
        for (long d : target) {
            if (d == 0 || d < -1) {
                throw bad(n, "reshapes to " + Arrays.toString(shape.longs()) + "; copying dimensions (0) is supported only for"
                        + " the batch");
            }
        }
        return Reshaping.reshape(false, target);
    }

    private Reshaping pad(OnnxModel.Node n) {
        if (!n.text("mode", "constant").equals("constant")) {
            throw bad(n, "pads in mode '" + n.text("mode", "") + "'; only constant padding is supported");
        }
        long[] pads = n.integers("pads");
        if (n.inputs().size() > 1 && !n.inputs().get(1).isEmpty()) {
            OnnxModel.Tensor t = constants.get(n.inputs().get(1));
            pads = t == null ? null : t.longs();
        }
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty() && scalar(n, 2) != 0) {
            throw bad(n, "pads with a value other than 0");
        }
        if (pads == null || pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw bad(n, "pads " + Arrays.toString(pads) + "; only constant padding of height and width is supported");
        }
        for (long p : pads) {
            if (p < 0 || p > 4096) {
                throw bad(n, "has padding " + Arrays.toString(pads));
            }
        }
        return Reshaping.pad((int) pads[2], (int) pads[6], (int) pads[3], (int) pads[7]);
    }

    private Padding padding(OnnxModel.Node n) {
        String auto = n.text("auto_pad", "NOTSET");
        switch (auto) {
            case "SAME_UPPER":
                return Padding.SAME;
            case "VALID":
                return Padding.VALID;
            case "NOTSET":
                break;
            default:
                throw bad(n, "has auto_pad " + auto + "; NOTSET, VALID and SAME_UPPER are supported");
        }
        long[] pads = n.integers("pads");
        if (pads == null || pads.length == 0) {
            return Padding.VALID;
        }
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p < 0 || p > 4096)) {
            throw bad(n, "has pads " + Arrays.toString(pads) + "; four non-negative sizes are needed");
        }
        return Padding.of((int) pads[0], (int) pads[2], (int) pads[1], (int) pads[3]);
    }

    private int[] pair(OnnxModel.Node n, String key) {
        long[] v = n.integers(key);
        if (v == null || v.length == 0) {
            return new int[] {1, 1};
        }
        if (v.length != 2 || v[0] < 1 || v[1] < 1 || v[0] > 4096 || v[1] > 4096) {
            throw bad(n, "has " + key + " " + Arrays.toString(v) + "; two positive sizes are needed");
        }
        return new int[] {(int) v[0], (int) v[1]};
    }

    private OnnxModel.Tensor weight(OnnxModel.Node n, int input, int rank) {
        if (n.inputs().size() <= input) {
            throw bad(n, "lacks input " + input);
        }
        OnnxModel.Tensor t = constants.get(n.inputs().get(input));
        if (t == null || t.floats() == null) {
            throw bad(n, "reads its weights from '" + n.inputs().get(input) + "', which is not a float constant;"
                    + " only constant weights are supported");
        }
        if (t.dims().length != rank || Arrays.stream(t.dims()).anyMatch(d -> d < 1)) {
            throw bad(n, "has a weight of shape " + Arrays.toString(t.dims()) + ", expected rank " + rank);
        }
        return t;
    }

    private float[] vector(OnnxModel.Node n, int input, long length) {
        OnnxModel.Tensor t = weight(n, input, 1);
        if (t.floats().length != length) {
            throw bad(n, "has " + t.floats().length + " values in input " + input + ", expected " + length);
        }
        return t.floats();
    }

    private float scalar(OnnxModel.Node n, int input) {
        OnnxModel.Tensor t = constants.get(n.inputs().get(input));
        if (t == null || t.floats() == null || t.floats().length != 1) {
            throw bad(n, "reads '" + n.inputs().get(input) + "', which is not a float scalar constant; only scalar"
                    + " constants are supported here");
        }
        return t.floats()[0];
    }

    private GraftException bad(OnnxModel.Node n, String what) {
        return new GraftException(source + ": node '" + n.name() + "' (" + n.op() + ") " + what);
    }
}
