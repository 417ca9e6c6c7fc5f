package dev.graft.backbone.onnx;

import dev.graft.GraftException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float32 initializers of an ONNX model by parsing the protobuf wire format, and names
 * the anonymous MatMul weights after the bias they feed ({@code <prefix>.weight}, stored
 * {@code [in, out]}).
 */
public final class OnnxInitializers {

    private static final int FLOAT = 1;
    private static final long MAX_TENSOR_ELEMENTS = 1L << 28;

    /**
     * A float tensor: its dimensions and values, row-major.
     *
     * @param dims the dimensions
     * @param values the values, row-major
     */
    public record FloatTensor(long[] dims, float[] values) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private record Node(String opType, List<String> inputs, List<String> outputs) {}

    private OnnxInitializers() {}

    /**
     * @param model the bytes of an ONNX file
     * @param source a name for error messages
     * @return float initializers by name; MatMul weights renamed {@code <prefix>.weight}
     */
    public static Map<String, FloatTensor> read(byte[] model, String source) {
        ByteBuffer buf = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        try {
            ProtoReader top = new ProtoReader(buf, 0, model.length);
            boolean sawGraph = false;
            while (top.hasMore()) {
                long key = top.varint();
                if ((key >>> 3) == 7 && (key & 7) == 2) {
                    int[] span = top.lengthDelimited();
                    readGraph(new ProtoReader(buf, span[0], span[1]), tensors, nodes, source);
                    sawGraph = true;
                } else {
                    top.skip((int) (key & 7));
                }
            }
            if (!sawGraph) {
                throw new GraftException(source + ": not an ONNX model (no graph); pass the model's .onnx file");
            }
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new GraftException(source + ": truncated or corrupt ONNX file; fetch the model again", e);
        }
        return nameMatMulWeights(tensors, nodes);
    }

    private static Map<String, FloatTensor> nameMatMulWeights(Map<String, FloatTensor> tensors, List<Node> nodes) {
        Map<String, Node> consumerOf = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                consumerOf.putIfAbsent(in, n);
            }
        }
        Map<String, FloatTensor> named = new LinkedHashMap<>(tensors);
        for (Node n : nodes) {
            if (!n.opType().equals("MatMul") || n.inputs().size() != 2 || n.outputs().isEmpty()) {
                continue;
            }
            String weight = n.inputs().get(1);
            Node add = consumerOf.get(n.outputs().get(0));
            if (!tensors.containsKey(weight) || add == null || !add.opType().equals("Add")) {
                continue;
            }
            for (String other : add.inputs()) {
                if (other.endsWith(".bias") && tensors.containsKey(other)) {
                    String prefix = other.substring(0, other.length() - ".bias".length());
                    named.put(prefix + ".weight", named.remove(weight));
                }
            }
        }
        return named;
    }

    private static void readGraph(ProtoReader r, Map<String, FloatTensor> tensors, List<Node> nodes, String source) {
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            if (field == 1 && (key & 7) == 2) {
                int[] span = r.lengthDelimited();
                nodes.add(readNode(new ProtoReader(r.buf, span[0], span[1])));
            } else if (field == 5 && (key & 7) == 2) {
                int[] span = r.lengthDelimited();
                readTensor(new ProtoReader(r.buf, span[0], span[1]), tensors, source);
            } else {
                r.skip((int) (key & 7));
            }
        }
    }

    private static Node readNode(ProtoReader r) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            if ((key & 7) == 2 && (field == 1 || field == 2 || field == 4)) {
                String s = r.string();
                if (field == 1) {
                    inputs.add(s);
                } else if (field == 2) {
                    outputs.add(s);
                } else {
                    op = s;
                }
            } else {
                r.skip((int) (key & 7));
            }
        }
        return new Node(op, inputs, outputs);
    }

    private static void readTensor(ProtoReader r, Map<String, FloatTensor> tensors, String source) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        int[] raw = null;
        List<Float> floatData = new ArrayList<>();
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 0) {
                dims.add(r.varint());
            } else if (field == 1 && wire == 2) {
                int[] span = r.lengthDelimited();
                ProtoReader packed = new ProtoReader(r.buf, span[0], span[1]);
                while (packed.hasMore()) {
                    dims.add(packed.varint());
                }
            } else if (field == 2 && wire == 0) {
                dataType = (int) r.varint();
            } else if (field == 8 && wire == 2) {
                name = r.string();
            } else if (field == 9 && wire == 2) {
                raw = r.lengthDelimited();
            } else if (field == 4 && wire == 2) {
                int[] span = r.lengthDelimited();
                for (int p = span[0]; p < span[1]; p += 4) {
                    floatData.add(r.buf.getFloat(p));
                }
            } else {
                r.skip(wire);
            }
        }
        if (dataType != FLOAT || name == null) {
            return;
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        long n = elementCount(d, name, source);
        // the data present must match the dimensions before anything that size is allocated
        if (raw != null && (long) (raw[1] - raw[0]) != n * 4) {
            throw new IndexOutOfBoundsException("raw_data size mismatch for " + name);
        }
        if (raw == null && floatData.size() != n) {
            throw new IndexOutOfBoundsException("float_data size mismatch for " + name);
        }
        float[] values = new float[(int) n];
        if (raw != null) {
            r.buf.slice(raw[0], raw[1] - raw[0]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < n; i++) {
                values[i] = floatData.get(i);
            }
        }
        tensors.put(name, new FloatTensor(d, values));
    }

    /**
     * @return the product of {@code dims}, computed without overflow
     * @throws GraftException if a dimension is negative or the product is over {@link #MAX_TENSOR_ELEMENTS}
     */
    static long elementCount(long[] dims, String name, String source) {
        String refusal = source + ": initializer '" + name + "' declares dimensions " + java.util.Arrays.toString(dims);
        for (long x : dims) {
            if (x < 0) {
                throw new GraftException(refusal + " with a negative one; the ONNX file is corrupt, fetch the model again");
            }
            if (x == 0) {
                return 0;
            }
        }
        long n = 1;
        try {
            for (long x : dims) {
                n = Math.multiplyExact(n, x);
            }
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        if (n > MAX_TENSOR_ELEMENTS) {
            throw new GraftException(refusal + ", more than the " + MAX_TENSOR_ELEMENTS
                    + " elements a tensor may hold; the ONNX file is corrupt or not a supported model, fetch the model again");
        }
        return n;
    }
}
