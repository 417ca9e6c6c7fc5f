package dev.graft.backbone.onnx;

import dev.graft.GraftException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model's graph as plain data, read from the protobuf wire format: nodes with their
 * attributes, float and integer initializers, and the graph's inputs and outputs. Every length,
 * count and size is checked before anything is allocated; a malformed file fails with a
 * {@link GraftException}.
 */
public final class OnnxModel {

    /** Largest file read. */
    static final long MAX_BYTES = 1L << 31;
    /** Most nodes, initializers or attribute values. */
    static final int MAX_ITEMS = 200_000;
    /** Most elements in one tensor, and in all initializers together. */
    static final long MAX_ELEMENTS = 1L << 28;
    private static final int FLOAT = 1;
    private static final int INT32 = 6;
    private static final int INT64 = 7;

    /**
     * A tensor: float values, or integer values for integer types.
     *
     * @param dims its dimensions
     * @param floats the values of a float tensor, else null
     * @param longs the values of an integer tensor, else null
     */
    public record Tensor(long[] dims, float[] floats, long[] longs) {}

    /**
     * A node attribute; only the fields of its kind are set.
     *
     * @param i an integer
     * @param f a float
     * @param s a string
     * @param ints integers
     * @param floats floats
     * @param t a tensor
     */
    public record Attribute(Long i, Float f, String s, long[] ints, float[] floats, Tensor t) {}

    /**
     * One operation.
     *
     * @param name its name (its first output's when it has none)
     * @param op the operator, e.g. {@code Conv}
     * @param domain the operator set's domain, empty for ONNX's own
     * @param inputs input value names ("" for an omitted optional input)
     * @param outputs output value names
     * @param attributes by name
     */
    public record Node(String name, String op, String domain, List<String> inputs, List<String> outputs,
            Map<String, Attribute> attributes) {

        /**
         * @param key an attribute name
         * @param fallback when absent
         * @return the integer attribute
         */
        public long integer(String key, long fallback) {
            Attribute a = attributes.get(key);
            return a == null || a.i() == null ? fallback : a.i();
        }

        /**
         * @param key an attribute name
         * @param fallback when absent
         * @return the float attribute
         */
        public float real(String key, float fallback) {
            Attribute a = attributes.get(key);
            return a == null || a.f() == null ? fallback : a.f();
        }

        /**
         * @param key an attribute name
         * @return the integers attribute, or null
         */
        public long[] integers(String key) {
            Attribute a = attributes.get(key);
            return a == null ? null : a.ints();
        }

        /**
         * @param key an attribute name
         * @param fallback when absent
         * @return the string attribute
         */
        public String text(String key, String fallback) {
            Attribute a = attributes.get(key);
            return a == null || a.s() == null ? fallback : a.s();
        }
    }

    /**
     * A graph input or output.
     *
     * @param name its value name
     * @param dims its dimensions, -1 where symbolic or unknown
     */
    public record Value(String name, long[] dims) {}

    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;
    private final List<Value> inputs;
    private final List<Value> outputs;

    private OnnxModel(List<Node> nodes, Map<String, Tensor> initializers, List<Value> inputs, List<Value> outputs) {
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** {@return the nodes in file order (ONNX requires topological order)} */
    public List<Node> nodes() {
        return nodes;
    }

    /** {@return the float and integer initializers by name} */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** {@return the graph inputs that are not initializers} */
    public List<Value> inputs() {
        return inputs;
    }

    /** {@return the graph outputs} */
    public List<Value> outputs() {
        return outputs;
    }

    /**
     * @param file an {@code .onnx} file
     * @return the model
     */
    public static OnnxModel read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new GraftException(file + " is larger than " + MAX_BYTES + " bytes; Graft reads ONNX files up to 2 GB");
            }
            return parse(Files.readAllBytes(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GraftException(file + " does not exist; give the path of an .onnx file", e);
        } catch (IOException e) {
            throw new GraftException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param bytes an ONNX file's bytes
     * @param source names it in messages
     * @return the model
     */
    public static OnnxModel parse(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            ProtoReader top = new ProtoReader(buf, 0, bytes.length);
            OnnxModel model = null;
            while (top.hasMore()) {
                long key = top.varint();
                if ((key >>> 3) == 7 && (key & 7) == 2) {
                    int[] span = top.lengthDelimited();
                    model = graph(new ProtoReader(buf, span[0], span[1]), source);
                } else {
                    top.skip((int) (key & 7));
                }
            }
            if (model == null) {
                throw new GraftException(source + ": not an ONNX model (no graph); give the model's .onnx file");
            }
            return model;
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new GraftException(source + ": truncated or corrupt ONNX file (" + e.getMessage() + ")", e);
        }
    }

    private static OnnxModel graph(ProtoReader r, String source) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        long elements = 0;
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            if ((key & 7) != 2 || (field != 1 && field != 5 && field != 11 && field != 12)) {
                r.skip((int) (key & 7));
                continue;
            }
            if (nodes.size() + initializers.size() + inputs.size() + outputs.size() > MAX_ITEMS) {
                throw new GraftException(source + ": more than " + MAX_ITEMS + " nodes and initializers");
            }
            int[] span = r.lengthDelimited();
            ProtoReader m = new ProtoReader(r.buf, span[0], span[1]);
            switch (field) {
                case 1 -> nodes.add(node(m, source));
                case 5 -> {
                    String[] name = new String[1];
                    Tensor t = tensor(m, name, source);
                    if (t != null && name[0] != null) {
                        elements += t.floats() != null ? t.floats().length : t.longs().length;
                        if (elements > MAX_ELEMENTS) {
                            throw new GraftException(source + ": the initializers hold more than " + MAX_ELEMENTS + " values");
                        }
                        initializers.put(name[0], t);
                    }
                }
                case 11 -> inputs.add(value(m));
                default -> outputs.add(value(m));
            }
        }
        inputs.removeIf(v -> initializers.containsKey(v.name()));
        return new OnnxModel(nodes, initializers, inputs, outputs);
    }

    private static Node node(ProtoReader r, String source) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        String name = "";
        String op = "";
        String domain = "";
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            if ((key & 7) != 2) {
                r.skip((int) (key & 7));
                continue;
            }
            switch (field) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 7 -> domain = r.string();
                case 5 -> {
                    int[] span = r.lengthDelimited();
                    String[] attrName = new String[1];
                    Attribute a = attribute(new ProtoReader(r.buf, span[0], span[1]), attrName, source);
                    attributes.put(attrName[0], a);
                }
                default -> r.skip(2);
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a " + op + " node has no output");
        }
        return new Node(name.isEmpty() ? outputs.get(0) : name, op, domain, List.copyOf(inputs), List.copyOf(outputs),
                Collections.unmodifiableMap(attributes));
    }

    private static Attribute attribute(ProtoReader r, String[] name, String source) {
        Long i = null;
        Float f = null;
        String s = null;
        Tensor t = null;
        List<Long> ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        name[0] = "";
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 2) {
                name[0] = r.string();
            } else if (field == 2 && wire == 5) {
                f = r.buf.getFloat(r.pos);
                r.skip(5);
            } else if (field == 3 && wire == 0) {
                i = r.varint();
            } else if (field == 4 && wire == 2) {
                s = r.string();
            } else if (field == 5 && wire == 2) {
                int[] span = r.lengthDelimited();
                t = tensor(new ProtoReader(r.buf, span[0], span[1]), new String[1], source);
            } else if (field == 7 && wire == 5) {
                floats.add(r.buf.getFloat(r.pos));
                r.skip(5);
            } else if (field == 7 && wire == 2) {
                int[] span = r.lengthDelimited();
                for (int p = span[0]; p + 4 <= span[1]; p += 4) {
                    floats.add(r.buf.getFloat(p));
                }
            } else if (field == 8 && wire == 0) {
                ints.add(r.varint());
            } else if (field == 8 && wire == 2) {
                int[] span = r.lengthDelimited();
                ProtoReader packed = new ProtoReader(r.buf, span[0], span[1]);
                while (packed.hasMore()) {
                    ints.add(packed.varint());
                }
            } else {
                r.skip(wire);
            }
            if (ints.size() + floats.size() > MAX_ITEMS) {
                throw new GraftException(source + ": an attribute has more than " + MAX_ITEMS + " values");
            }
        }
        float[] fs = new float[floats.size()];
        for (int k = 0; k < fs.length; k++) {
            fs[k] = floats.get(k);
        }
        return new Attribute(i, f, s, ints.stream().mapToLong(Long::longValue).toArray(), fs, t);
    }

    /** A float or integer tensor, or null for another type; {@code name[0]} receives its name. */
    private static Tensor tensor(ProtoReader r, String[] name, String source) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        int[] raw = null;
        int[] packedFloats = null;
        List<Long> integers = new ArrayList<>();
        boolean external = false;
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
                type = (int) r.varint();
            } else if (field == 8 && wire == 2) {
                name[0] = r.string();
            } else if (field == 9 && wire == 2) {
                raw = r.lengthDelimited();
            } else if (field == 4 && wire == 2) {
                packedFloats = r.lengthDelimited();
            } else if ((field == 5 || field == 7) && wire == 2) {
                int[] span = r.lengthDelimited();
                ProtoReader packed = new ProtoReader(r.buf, span[0], span[1]);
                while (packed.hasMore() && integers.size() <= MAX_ELEMENTS) {
                    integers.add(packed.varint());
                }
            } else if ((field == 5 || field == 7) && wire == 0) {
                integers.add(r.varint());
            } else if (field == 14 && wire == 0) {
                external = r.varint() == 1;
            } else {
                r.skip(wire);
            }
        }
        if (external) {
            throw new GraftException(source + ": tensor '" + name[0] + "' is stored in an external data file; save the model"
                    + " with its weights inside the .onnx file");
        }
        if (type != FLOAT && type != INT64 && type != INT32) {
            return null;
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        long n = elementCount(d, name[0], source);
        int width = type == FLOAT ? 4 : type == INT64 ? 8 : 4;
        if (raw != null && raw[1] - raw[0] != n * width) {
            throw new IndexOutOfBoundsException("raw_data of " + name[0] + " has " + (raw[1] - raw[0]) + " bytes for " + n
                    + " values");
        }
        if (type == FLOAT) {
            float[] values = new float[(int) n];
            int[] span = raw != null ? raw : packedFloats;
            if (span == null ? n != 0 : span[1] - span[0] != n * 4) {
                throw new IndexOutOfBoundsException("float data of " + name[0] + " does not hold " + n + " values");
            }
            if (span != null) {
                r.buf.slice(span[0], span[1] - span[0]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            }
            return new Tensor(d, values, null);
        }
        long[] values = new long[(int) n];
        if (raw != null) {
            ByteBuffer b = r.buf.slice(raw[0], raw[1] - raw[0]).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                values[k] = type == INT64 ? b.getLong(8 * k) : b.getInt(4 * k);
            }
        } else {
            if (integers.size() != n) {
                throw new IndexOutOfBoundsException("integer data of " + name[0] + " does not hold " + n + " values");
            }
            for (int k = 0; k < n; k++) {
                values[k] = integers.get(k);
            }
        }
        return new Tensor(d, null, values);
    }

    private static Value value(ProtoReader r) {
        String name = "";
        List<Long> dims = new ArrayList<>();
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            if (field == 1 && (key & 7) == 2) {
                name = r.string();
            } else if (field == 2 && (key & 7) == 2) {
                int[] type = r.lengthDelimited();
                shape(new ProtoReader(r.buf, type[0], type[1]), dims, 0);
            } else {
                r.skip((int) (key & 7));
            }
        }
        return new Value(name, dims.stream().mapToLong(Long::longValue).toArray());
    }

    /** TypeProto.tensor_type (1) → TypeProto.Tensor.shape (2) → TensorShapeProto.dim (1) → dim_value (1). */
    private static void shape(ProtoReader r, List<Long> dims, int depth) {
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            boolean descend = wire == 2 && ((depth == 0 && field == 1) || (depth == 1 && field == 2));
            if (descend) {
                int[] span = r.lengthDelimited();
                shape(new ProtoReader(r.buf, span[0], span[1]), dims, depth + 1);
            } else if (depth == 2 && field == 1 && wire == 2) {
                int[] span = r.lengthDelimited();
                ProtoReader dim = new ProtoReader(r.buf, span[0], span[1]);
                long size = -1;
                while (dim.hasMore()) {
                    long k = dim.varint();
                    if ((k >>> 3) == 1 && (k & 7) == 0) {
                        size = dim.varint();
                    } else {
                        dim.skip((int) (k & 7));
                    }
                }
                if (dims.size() < 16) {
                    dims.add(size);
                }
            } else {
                r.skip(wire);
            }
        }
    }

    /**
     * @return the product of {@code dims}, computed without overflow
     * @throws GraftException if a dimension is negative or the product is over {@link #MAX_ELEMENTS}
     */
    private static long elementCount(long[] dims, String name, String source) {
        String refusal = source + ": initializer '" + name + "' declares dimensions " + Arrays.toString(dims);
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
        if (n > MAX_ELEMENTS) {
            throw new GraftException(refusal + ", more than the " + MAX_ELEMENTS
                    + " elements a tensor may hold; the ONNX file is corrupt or not a supported model, fetch the model again");
        }
        return n;
    }
}
