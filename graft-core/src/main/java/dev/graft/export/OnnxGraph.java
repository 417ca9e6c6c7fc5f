package dev.graft.export;

import dev.graft.io.ProtoWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds an ONNX model (nodes, initializers, inputs, outputs) and encodes it as a ModelProto. */
final class OnnxGraph {

    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;
    /** ONNX Runtime's own operators (fused attention and the like); a model using them runs only there. */
    static final String ONNX_RUNTIME_DOMAIN = "com.microsoft";

    /** A node attribute. */
    record Attr(String name, Float f, Long i, long[] ints) {
        static Attr i(String name, long value) {
            return new Attr(name, null, value, null);
        }

        static Attr f(String name, float value) {
            return new Attr(name, value, null, null);
        }

        static Attr ints(String name, long... values) {
            return new Attr(name, null, null, values);
        }

        ProtoWriter encode() {
            ProtoWriter a = new ProtoWriter().string(1, name);
            if (f != null) {
                a.float32(2, f).varint(20, 1);
            } else if (i != null) {
                a.varint(3, i).varint(20, 2);
            } else {
                for (long v : ints) {
                    a.varint(8, v);
                }
                a.varint(20, 7);
            }
            return a;
        }
    }

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int counter;
    private boolean onnxRuntimeOps;

    /** {@return the output's name: a node of type {@code op} with a generated output name} */
    String op(String op, List<String> in, Attr... attrs) {
        return opNamed(op, op.toLowerCase() + "_" + counter++, in, attrs);
    }

    /** {@return {@code output}: a node of type {@code op} writing it} */
    String opNamed(String op, String output, List<String> in, Attr... attrs) {
        return node(op, "", output, in, attrs);
    }

    /** {@return the output's name: a node of ONNX Runtime's operator {@code op} ({@link #ONNX_RUNTIME_DOMAIN})} */
    String onnxRuntimeOp(String op, List<String> in, Attr... attrs) {
        onnxRuntimeOps = true;
        return node(op, ONNX_RUNTIME_DOMAIN, op.toLowerCase() + "_" + counter++, in, attrs);
    }

    /**
     * A node with several outputs.
     *
     * @return the outputs' generated names, in order
     */
    List<String> opOutputs(String op, int count, List<String> in, Attr... attrs) {
        List<String> outputs = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            outputs.add(op.toLowerCase() + "_" + counter++);
        }
        node(op, "", outputs, in, attrs);
        return outputs;
    }

    private String node(String op, String domain, String output, List<String> in, Attr... attrs) {
        node(op, domain, List.of(output), in, attrs);
        return output;
    }

    private void node(String op, String domain, List<String> out, List<String> in, Attr... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(1, i);
        }
        out.forEach(o -> n.string(2, o));
        n.string(3, "n" + counter++).string(4, op);
        for (Attr a : attrs) {
            n.message(5, a.encode());
        }
        if (!domain.isEmpty()) {
            n.string(7, domain);
        }
        nodes.add(n);
    }

    /** {@return {@code name}: a float initializer} */
    String floats(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initializers.add(tensor(name, dims, FLOAT, raw.array()));
        return name;
    }

    /** {@return {@code name}: an int8 initializer} */
    String int8s(String name, long[] dims, byte[] values) {
        initializers.add(tensor(name, dims, INT8, values));
        return name;
    }

    /** {@return {@code name}: an int64 initializer} */
    String longs(String name, long[] dims, long[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(tensor(name, dims, INT64, raw.array()));
        return name;
    }

    /** {@return a scalar float initializer's name} */
    String scalar(float value) {
        return floats("c" + counter++, new long[0], new float[] {value});
    }

    /** {@return a one-dimensional int64 initializer's name} */
    String ints(long... values) {
        return longs("c" + counter++, new long[] {values.length}, values);
    }

    /** Declares a graph input; a dimension is a {@code Long} size or a {@code String} symbol. */
    void input(String name, int type, Object... dims) {
        inputs.add(valueInfo(name, type, dims));
    }

    /** Declares a graph output. */
    void output(String name, int type, Object... dims) {
        outputs.add(valueInfo(name, type, dims));
    }

    /** {@return the encoded ModelProto} */
    byte[] model(String name, int opset, String producerVersion) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        ProtoWriter model = new ProtoWriter().varint(1, 8).string(2, "graft").string(3, producerVersion).message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, opset));
        if (onnxRuntimeOps) {
            model.message(8, new ProtoWriter().string(1, ONNX_RUNTIME_DOMAIN).varint(2, 1));
        }
        return model.toByteArray();
    }

    private static ProtoWriter tensor(String name, long[] dims, int type, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        return t.varint(2, type).string(8, name).bytes(9, raw);
    }

    private static ProtoWriter valueInfo(String name, int type, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String s) {
                dim.string(2, s);
            } else {
                dim.varint(1, ((Number) d).longValue());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, type).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
