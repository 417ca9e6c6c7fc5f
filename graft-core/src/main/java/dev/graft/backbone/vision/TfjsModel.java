package dev.graft.backbone.vision;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js layers model as plain data: {@code model.json} ({@code {modelTopology,
 * weightsManifest}}) and {@code weights.bin} (the manifest's shards concatenated in order), or
 * the shard files the manifest names, as {@code tensorflowjs_converter} writes them. Functional
 * and Sequential topologies are read, in the Keras 2 and Keras 3 forms.
 *
 * <p>Weights are float32 little-endian, or uint8- or uint16-quantised per tensor ({@code w = q·scale + min});
 * tensors lie back to back in manifest order and are returned in Keras layout (a conv kernel is
 * {@code [h, w, in, out]}, a depthwise kernel {@code [h, w, channels, 1]}). Every size and offset
 * is checked before anything is allocated; malformed input fails with a {@link GraftException}.
 */
public final class TfjsModel {

    /** Largest {@code model.json} read. */
    static final long MAX_JSON_BYTES = 64L << 20;
    /** Most tensors in a manifest. */
    static final int MAX_TENSORS = 10_000;
    /** Most values in one tensor, and in all of them together. */
    static final long MAX_VALUES = 1L << 28;
    private static final int MAX_RANK = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One Keras layer of the topology.
     *
     * @param name its unique name, e.g. {@code block_3_expand}
     * @param className e.g. {@code Conv2D}, {@code DepthwiseConv2D}, {@code ZeroPadding2D}
     * @param config its Keras configuration
     * @param inbound names of the layers that feed it
     */
    public record Layer(String name, String className, JsonNode config, List<String> inbound) {}

    /**
     * One weight tensor.
     *
     * @param shape its dimensions in Keras layout
     * @param values row-major, dequantised
     */
    public record Weight(long[] shape, float[] values) {}

    private final List<Layer> layers;
    private final Map<String, Layer> byName;
    private final Map<String, Weight> weights;

    private TfjsModel(List<Layer> layers, Map<String, Weight> weights) {
        this.layers = List.copyOf(layers);
        Map<String, Layer> map = new LinkedHashMap<>();
        for (Layer l : layers) {
            map.put(l.name(), l);
        }
        this.byName = map;
        this.weights = Collections.unmodifiableMap(weights);
    }

    /** {@return the layers in topology order} */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Looks up a layer by name.
     *
     * @param name a layer name
     * @return the layer
     * @throws GraftException if the topology has no such layer
     */
    public Layer layer(String name) {
        Layer l = byName.get(name);
        if (l == null) {
            throw new GraftException("the tfjs model has no layer '" + name + "'; it is not the expected model");
        }
        return l;
    }

    /**
     * {@return whether the topology has a layer of that name}
     *
     * @param name a layer name as the topology spells it, e.g. {@code block_3_expand}
     */
    public boolean hasLayer(String name) {
        return byName.containsKey(name);
    }

    /** {@return every weight by manifest name (e.g. {@code block_3_expand/kernel}), in manifest order} */
    public Map<String, Weight> weights() {
        return weights;
    }

    /**
     * Reads a TensorFlow.js layers model from a directory.
     *
     * @param dir a directory holding {@code model.json} and {@code weights.bin}
     * @return the model
     */
    public static TfjsModel read(Path dir) {
        Path json = dir.resolve("model.json");
        Path bin = dir.resolve("weights.bin");
        try {
            if (Files.size(json) > MAX_JSON_BYTES) {
                throw new GraftException(dir + ": model.json is too large to be a tfjs model");
            }
            byte[] topology = Files.readAllBytes(json);
            byte[] weights = Files.exists(bin) ? readBounded(bin) : shards(dir, topology);
            return parse(topology, weights, dir.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GraftException(dir + ": not a TensorFlow.js layers model: " + Path.of(e.getFile()).getFileName()
                    + " is missing (expected model.json and the weight files its manifest names)", e);
        } catch (IOException e) {
            throw new GraftException("cannot read the tfjs model in " + dir + ": " + e.getMessage()
                    + "; fetch it again (graft models fetch)", e);
        }
    }

    private static byte[] readBounded(Path file) throws IOException {
        if (Files.size(file) > MAX_VALUES * 4) {
            throw new GraftException(file + " is too large to hold the weights of a tfjs model");
        }
        return Files.readAllBytes(file);
    }

    /** The shard files the manifest names ({@code paths}), concatenated in manifest order. */
    private static byte[] shards(Path dir, byte[] modelJson) throws IOException {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(modelJson).path("weightsManifest");
        } catch (JacksonException e) {
            throw bad(dir.toString(), "model.json is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode group : manifest) {
            for (JsonNode path : group.path("paths")) {
                Path shard = dir.resolve(path.asText("")).normalize();
                if (!shard.startsWith(dir.normalize()) || path.asText("").isEmpty()) {
                    throw bad(dir.toString(), "the manifest names a weight file outside the model directory: " + path);
                }
                if (all.size() + Files.size(shard) > MAX_VALUES * 4) {
                    throw bad(dir.toString(), "the weight files hold more than " + MAX_VALUES * 4 + " bytes");
                }
                all.write(Files.readAllBytes(shard));
            }
        }
        return all.toByteArray();
    }

    /**
     * Parses a TensorFlow.js layers model from its topology and weight bytes.
     *
     * @param modelJson the bytes of {@code model.json}
     * @param weightBytes all weight shards, concatenated in manifest order
     * @param source a name for error messages
     * @return the model
     */
    public static TfjsModel parse(byte[] modelJson, byte[] weightBytes, String source) {
        if (modelJson.length > MAX_JSON_BYTES) {
            throw bad(source, "model.json is larger than " + MAX_JSON_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(modelJson);
        } catch (JacksonException e) {
            throw bad(source, "model.json is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw bad(source, "model.json cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(source, "model.json is not a JSON object");
        }
        return new TfjsModel(layers(root, source), weights(root, weightBytes, source));
    }

    private static List<Layer> layers(JsonNode root, String source) {
        JsonNode modelConfig = root.path("modelTopology").path("model_config");
        if (modelConfig.isMissingNode()) {
            modelConfig = root.path("modelTopology");
        }
        JsonNode config = modelConfig.path("config");
        JsonNode list = config.isArray() ? config : config.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw bad(source, "modelTopology.model_config.config.layers is missing or empty");
        }
        boolean sequential = modelConfig.path("class_name").asText("").equals("Sequential");
        List<Layer> out = new ArrayList<>();
        for (JsonNode l : list) {
            String name = text(l, "name", source);
            String className = text(l, "class_name", source);
            JsonNode layerConfig = l.path("config");
            if (!layerConfig.isObject()) {
                throw bad(source, "layer " + name + " has no config object");
            }
            List<String> inbound = new ArrayList<>();
            for (JsonNode node : l.path("inbound_nodes")) {
                if (node.isObject()) {
                    kerasHistory(node, inbound);
                }
                for (JsonNode edge : node) {
                    if (edge.isArray() && edge.size() > 0 && edge.get(0).isTextual()) {
                        inbound.add(edge.get(0).asText());
                    }
                }
            }
            if (sequential && inbound.isEmpty() && !out.isEmpty()) {
                inbound.add(out.get(out.size() - 1).name());
            }
            out.add(new Layer(name, className, layerConfig, List.copyOf(inbound)));
        }
        if (sequential && !out.get(0).className().equals("InputLayer")) {
            out.add(0, new Layer("input", "InputLayer", out.get(0).config(), List.of()));
            Layer first = out.get(1);
            out.set(1, new Layer(first.name(), first.className(), first.config(), List.of("input")));
        }
        return out;
    }

    /** Keras 3 writes an inbound node as {@code {"args": [{"config": {"keras_history": [layer, 0, 0]}}]}}. */
    private static void kerasHistory(JsonNode node, List<String> inbound) {
        JsonNode history = node.path("keras_history");
        if (history.isArray() && history.size() > 0 && history.get(0).isTextual()) {
            inbound.add(history.get(0).asText());
            return;
        }
        for (JsonNode child : node) {
            if (child.isContainerNode()) {
                kerasHistory(child, inbound);
            }
        }
    }

    private static Map<String, Weight> weights(JsonNode root, byte[] bytes, String source) {
        JsonNode manifest = root.path("weightsManifest");
        if (!manifest.isArray()) {
            throw bad(source, "weightsManifest is missing");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Weight> out = new LinkedHashMap<>();
        long offset = 0;
        long total = 0;
        for (JsonNode group : manifest) {
            JsonNode specs = group.path("weights");
            if (!specs.isArray()) {
                throw bad(source, "a weightsManifest group has no weights list");
            }
            for (JsonNode spec : specs) {
                if (out.size() >= MAX_TENSORS) {
                    throw bad(source, "more than " + MAX_TENSORS + " weight tensors");
                }
                String name = text(spec, "name", source);
                long[] shape = shape(spec.path("shape"), name, source);
                long count = 1;
                for (long d : shape) {
                    count *= d;
                    if (count > MAX_VALUES) {
                        throw bad(source, "weight " + name + " has more than " + MAX_VALUES + " values");
                    }
                }
                total += count;
                if (total > MAX_VALUES) {
                    throw bad(source, "the weights have more than " + MAX_VALUES + " values in all");
                }
                if (!"float32".equals(spec.path("dtype").asText(null))) {
                    throw bad(source, "weight " + name + " has dtype " + spec.path("dtype") + "; only float32 is supported");
                }
                JsonNode q = spec.path("quantization");
                boolean quantised = !q.isMissingNode() && !q.isNull();
                String qType = quantised ? q.path("dtype").asText("") : "";
                if (quantised && !qType.equals("uint8") && !qType.equals("uint16")) {
                    throw bad(source, "weight " + name + " is quantised as '" + qType + "'; only uint8 and uint16 are"
                            + " supported");
                }
                int bytesPerValue = !quantised ? 4 : qType.equals("uint8") ? 1 : 2;
                long size = count * bytesPerValue;
                if (offset + size > bytes.length) {
                    throw bad(source, "weight " + name + " needs bytes " + offset + " to " + (offset + size)
                            + " but weights.bin has " + bytes.length);
                }
                float[] values = new float[(int) count];
                int at = (int) offset;
                if (quantised) {
                    double scale = number(q, "scale", name, source);
                    double min = number(q, "min", name, source);
                    for (int i = 0; i < values.length; i++) {
                        int q16 = bytesPerValue == 1 ? bytes[at + i] & 0xff : buf.getShort(at + 2 * i) & 0xffff;
                        values[i] = (float) (q16 * scale + min);
                    }
                } else {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = buf.getFloat(at + 4 * i);
                    }
                }
                offset += size;
                if (out.put(name, new Weight(shape, values)) != null) {
                    throw bad(source, "weight " + name + " appears twice in the manifest");
                }
            }
        }
        if (offset != bytes.length) {
            throw bad(source, "the manifest describes " + offset + " bytes of weights but weights.bin has " + bytes.length);
        }
        return out;
    }

    private static long[] shape(JsonNode node, String name, String source) {
        if (!node.isArray() || node.size() > MAX_RANK) {
            throw bad(source, "weight " + name + " has no valid shape (an array of at most " + MAX_RANK + " sizes)");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > MAX_VALUES) {
                throw bad(source, "weight " + name + " has an invalid dimension " + d);
            }
            shape[i] = d.asLong();
        }
        return shape;
    }

    private static double number(JsonNode q, String field, String name, String source) {
        JsonNode v = q.path(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw bad(source, "weight " + name + " has no finite quantization " + field);
        }
        return v.asDouble();
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            throw bad(source, "an entry lacks its '" + field + "' string");
        }
        return v.asText();
    }

    private static GraftException bad(String source, String what) {
        return new GraftException(source + ": not a valid tfjs model: " + what + "; fetch it again (graft models fetch)");
    }
}
