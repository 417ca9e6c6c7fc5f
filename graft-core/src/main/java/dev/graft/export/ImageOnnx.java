package dev.graft.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.graft.GraftException;
import dev.graft.backbone.graph.Activation;
import dev.graft.backbone.graph.BatchNormalization;
import dev.graft.backbone.graph.Convolution;
import dev.graft.backbone.graph.Dense;
import dev.graft.backbone.graph.GraphOp;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.graph.Merge;
import dev.graft.backbone.graph.Pooling;
import dev.graft.backbone.graph.Reshaping;
import dev.graft.train.TrainedHead;
import java.util.ArrayList;
import java.util.List;

/**
 * An image classifier as one ONNX graph (opset 17): the convolutional network with its current
 * weights, the average over height and width, the feature scaler and the head. Input
 * {@code pixels} (batch, channels, size, size), float32, already resized and normalised as the
 * export's metadata says; outputs {@code logits}, {@code probabilities} and {@code embedding}.
 * Padding is written out for the fixed input size, so the graph runs at that size only.
 */
public final class ImageOnnx {

    /** The ONNX opset the graphs declare. */
    public static final int OPSET = 17;

    private final OnnxGraph g = new OnnxGraph();
    private final String[] values;
    private final long[][] sizes;
    private final boolean[] image;

    private ImageOnnx(int nodes) {
        values = new String[nodes];
        sizes = new long[nodes][];
        image = new boolean[nodes];
    }

    /**
     * @param network the backbone's network, adapters merged
     * @param inputSize the pixels per side the network is fed
     * @param head the classification head
     * @param name names the model
     * @return the encoded ONNX model
     */
    public static byte[] classifier(LayerGraph network, int inputSize, TrainedHead head, String name) {
        ImageOnnx x = new ImageOnnx(network.nodes().size());
        String features = x.network(network, inputSize);
        HeadOnnx.append(x.g, features, head);
        x.g.output("embedding", OnnxGraph.FLOAT, "batch", (long) head.scaler().dimension());
        return x.g.model("graft-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-classifier", OPSET, dev.graft.GraftVersion.VALUE);
    }

    /**
     * @param network the network
     * @param inputSize the pixels per side the network is fed
     * @return the network alone: {@code pixels} in, {@code embedding} (batch, features) out
     */
    public static byte[] features(LayerGraph network, int inputSize) {
        ImageOnnx x = new ImageOnnx(network.nodes().size());
        x.network(network, inputSize);
        x.g.output("embedding", OnnxGraph.FLOAT, "batch", "features");
        return x.g.model("graft-network", OPSET, dev.graft.GraftVersion.VALUE);
    }

    /** {@return the name of the pooled (batch, features) tensor, {@code embedding}} */
    private String network(LayerGraph network, int inputSize) {
        g.input("pixels", OnnxGraph.FLOAT, "batch", (long) network.inputChannels(), (long) inputSize, (long) inputSize);
        List<LayerGraph.Node> nodes = network.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            LayerGraph.Node node = nodes.get(i);
            List<String> in = new ArrayList<>();
            for (int k : node.inputs()) {
                in.add(k == LayerGraph.INPUT ? "pixels" : values[k]);
            }
            int first = node.inputs()[0];
            long[] size = first == LayerGraph.INPUT ? new long[] {inputSize, inputSize} : sizes[first];
            boolean isImage = first == LayerGraph.INPUT || image[first];
            values[i] = op(node, in, size, isImage, i);
        }
        int last = nodes.size() - 1;
        String out = image[last] ? g.op("Flatten", List.of(g.op("GlobalAveragePool", List.of(values[last]))),
                OnnxGraph.Attr.i("axis", 1)) : values[last];
        return g.opNamed("Identity", "embedding", List.of(out));
    }

    private String op(LayerGraph.Node node, List<String> in, long[] size, boolean isImage, int i) {
        GraphOp op = node.op();
        String p = node.name();
        sizes[i] = size;
        image[i] = isImage;
        if (op instanceof Convolution c) {
            Shape k = c.kernel().getArray().getShape();
            int[] window = {(int) (k.get(2) - 1) * c.dilation()[0] + 1, (int) (k.get(3) - 1) * c.dilation()[1] + 1};
            int[] pad = c.padding().resolve(size[0], size[1], window, c.stride());
            List<String> inputs = new ArrayList<>(List.of(in.get(0), g.floats(p + ".kernel", k.getShape(), floats(c.kernel().getArray()))));
            if (c.bias() != null) {
                inputs.add(g.floats(p + ".bias", c.bias().getArray().getShape().getShape(), floats(c.bias().getArray())));
            }
            sizes[i] = window(size, window, c.stride(), pad);
            String y = g.op("Conv", inputs, OnnxGraph.Attr.ints("kernel_shape", k.get(2), k.get(3)),
                    OnnxGraph.Attr.ints("strides", c.stride()[0], c.stride()[1]),
                    OnnxGraph.Attr.ints("dilations", c.dilation()[0], c.dilation()[1]), OnnxGraph.Attr.i("group", c.groups()),
                    OnnxGraph.Attr.ints("pads", pad[0], pad[2], pad[1], pad[3]));
            return c.activation() == null ? y : activation(c.activation(), y);
        }
        if (op instanceof BatchNormalization bn) {
            long[] c = {bn.movingMean().size()};
            return g.op("BatchNormalization", List.of(in.get(0), g.floats(p + ".scale", c, floats(bn.scale())),
                    g.floats(p + ".shift", c, floats(bn.shift())), g.floats(p + ".mean", c, floats(bn.movingMean())),
                    g.floats(p + ".variance", c, floats(bn.movingVariance()))), OnnxGraph.Attr.f("epsilon", bn.epsilon()));
        }
        if (op instanceof Activation a) {
            return activation(a, in.get(0));
        }
        if (op instanceof Merge m) {
            if (m.kind() == Merge.Kind.CONCAT) {
                return g.op("Concat", in, OnnxGraph.Attr.i("axis", 1));
            }
            String sum = in.get(0);
            for (int k = 1; k < in.size(); k++) {
                sum = g.op(m.kind() == Merge.Kind.ADD ? "Add" : "Mul", List.of(sum, in.get(k)));
            }
            return sum;
        }
        if (op instanceof Pooling pool) {
            return pooling(pool, in.get(0), size, i);
        }
        if (op instanceof Dense d) {
            Shape k = d.kernel().getArray().getShape();
            String y = g.op("MatMul", List.of(in.get(0), g.floats(p + ".kernel", k.getShape(), floats(d.kernel().getArray()))));
            if (d.bias() != null) {
                y = g.op("Add", List.of(y, g.floats(p + ".bias", d.bias().getArray().getShape().getShape(), floats(d.bias().getArray()))));
            }
            image[i] = false;
            return d.activation() == null ? y : activation(d.activation(), y);
        }
        if (op instanceof Reshaping r) {
            return reshaping(r, in.get(0), size, isImage, i);
        }
        throw new GraftException("layer " + p + " (" + op.getClass().getSimpleName() + ") cannot be exported to ONNX");
    }

    private String pooling(Pooling pool, String x, long[] size, int i) {
        if (pool.size() == null) {
            String y = g.op(pool.max() ? "GlobalMaxPool" : "GlobalAveragePool", List.of(x));
            sizes[i] = new long[] {1, 1};
            if (pool.keepSpatial()) {
                return y;
            }
            image[i] = false;
            return g.op("Flatten", List.of(y), OnnxGraph.Attr.i("axis", 1));
        }
        int[] pad = pool.padding().resolve(size[0], size[1], pool.size(), pool.stride());
        sizes[i] = window(size, pool.size(), pool.stride(), pad);
        List<OnnxGraph.Attr> attrs = new ArrayList<>(List.of(OnnxGraph.Attr.ints("kernel_shape", pool.size()[0], pool.size()[1]),
                OnnxGraph.Attr.ints("strides", pool.stride()[0], pool.stride()[1]),
                OnnxGraph.Attr.ints("pads", pad[0], pad[2], pad[1], pad[3])));
        if (!pool.max()) {
            attrs.add(OnnxGraph.Attr.i("count_include_pad", 0));
        }
        return g.op(pool.max() ? "MaxPool" : "AveragePool", List.of(x), attrs.toArray(OnnxGraph.Attr[]::new));
    }

    private String reshaping(Reshaping r, String x, long[] size, boolean isImage, int i) {
        switch (r.kind()) {
            case IDENTITY:
                return g.op("Identity", List.of(x));
            case RESCALE:
                return g.op("Add", List.of(g.op("Mul", List.of(x, g.scalar(r.scale()))), g.scalar(r.offset())));
            case PAD:
                int[] p = r.pad();
                sizes[i] = new long[] {size[0] + p[0] + p[1], size[1] + p[2] + p[3]};
                return g.op("Pad", List.of(x, g.ints(0, 0, p[0], p[2], 0, 0, p[1], p[3])));
            case FLATTEN:
                image[i] = false;
                return g.op("Flatten", List.of(channelsLastFrom(r, x, size, isImage)), OnnxGraph.Attr.i("axis", 1));
            default:
                long[] target = r.target();
                boolean toImage = target.length == 3;
                // to one pixel, (H, W, C) and (C, H, W) order the values alike: no transposes
                boolean onePixel = r.channelsLast() && toImage && target[0] == 1 && target[1] == 1;
                long[] shape = new long[target.length + 1];
                System.arraycopy(onePixel ? new long[] {target[2], 1, 1} : target, 0, shape, 1, target.length);
                String reshaped = g.op("Reshape", List.of(channelsLastFrom(r, x, size, isImage), g.ints(shape)));
                image[i] = toImage;
                if (toImage) {
                    sizes[i] = r.channelsLast() ? new long[] {target[0], target[1]} : new long[] {target[1], target[2]};
                }
                return r.channelsLast() && toImage && !onePixel
                        ? g.op("Transpose", List.of(reshaped), OnnxGraph.Attr.ints("perm", 0, 3, 1, 2)) : reshaped;
        }
    }

    /** The input in Keras' (H, W, C) order when the reshape counts that way; a single pixel needs no transpose. */
    private String channelsLastFrom(Reshaping r, String x, long[] size, boolean isImage) {
        boolean onePixel = size[0] == 1 && size[1] == 1;
        return r.channelsLast() && isImage && !onePixel ? g.op("Transpose", List.of(x), OnnxGraph.Attr.ints("perm", 0, 2, 3, 1))
                : x;
    }

    private String activation(Activation a, String x) {
        return switch (a.kind()) {
            case LINEAR -> g.op("Identity", List.of(x));
            case RELU -> g.op("Relu", List.of(x));
            case CLIP -> g.op("Clip", List.of(x, g.scalar(a.alpha()), g.scalar(a.beta())));
            case LEAKY_RELU -> g.op("LeakyRelu", List.of(x), OnnxGraph.Attr.f("alpha", a.alpha()));
            case SIGMOID -> g.op("Sigmoid", List.of(x));
            case HARD_SIGMOID -> g.op("HardSigmoid", List.of(x), OnnxGraph.Attr.f("alpha", a.alpha()),
                    OnnxGraph.Attr.f("beta", a.beta()));
            case HARD_SWISH -> g.op("HardSwish", List.of(x));
            case SWISH -> g.op("Mul", List.of(x, g.op("Sigmoid", List.of(x))));
            case TANH -> g.op("Tanh", List.of(x));
            case ELU -> g.op("Elu", List.of(x), OnnxGraph.Attr.f("alpha", a.alpha()));
            case SOFTPLUS -> g.op("Softplus", List.of(x));
            case SOFTMAX -> g.op("Softmax", List.of(x), OnnxGraph.Attr.i("axis", 1));
        };
    }

    private static long[] window(long[] size, int[] window, int[] stride, int[] pad) {
        return new long[] {(size[0] + pad[0] + pad[1] - window[0]) / stride[0] + 1,
                (size[1] + pad[2] + pad[3] - window[1]) / stride[1] + 1};
    }

    private static float[] floats(NDArray a) {
        return a.toFloatArray();
    }
}
