package dev.graft.backbone.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.Engines;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.ModelStore;
import dev.graft.image.ImageEncoder;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The MobileNetV2 (width 1.0) of nsfwjs 4.4.0, rebuilt from DJL operations with the TensorFlow.js
 * weights ({@link TfjsModel}); the nsfwjs classifier after {@code out_relu} is dropped. Features
 * are the global average of {@code out_relu}, 1280 values (at 224 px the model's own
 * {@code AveragePooling2D(7×7)} + {@code Flatten}). Inputs are pixels (B, 3, S, S) in [0, 1].
 *
 * <p>Parameters carry their Keras names: {@code block_3_expand/kernel} and
 * {@code Conv1/kernel} are {@code [out, in, h, w]}, {@code block_3_depthwise/depthwise_kernel}
 * is {@code [channels, 1, h, w]}, {@code block_3_expand_BN/gamma} and {@code .../beta} are
 * {@code [channels]}. The BatchNorm running statistics ({@code .../moving_mean},
 * {@code .../moving_variance}) are not parameters (no gradient reaches them); see
 * {@link #batchNormStatistics()}. LoRA adapters on the pointwise convolutions are
 * {@code <conv>/lora_A} {@code [r, in, 1, 1]} and {@code <conv>/lora_B} {@code [out, r, 1, 1]}.
 */
public final class MobileNetV2 implements ImageBackbone {

    /** The backbone id at the default 224 px; {@code mobilenetv2:N} runs at N px. */
    public static final String ID = NsfwjsStore.ID;
    /** The pretrained input size. */
    public static final int DEFAULT_SIZE = 224;
    /** Smallest input size accepted. */
    public static final int MIN_SIZE = 32;
    /** Largest input size accepted. */
    public static final int MAX_SIZE = 512;
    private static final int FEATURES = 1280;
    private static final int BATCH = 32;

    /** Layer groups: name, then the Keras blocks in it. */
    private static final List<List<String>> GROUPS = List.of(
            List.of("stem", "Conv1", "expanded_conv"),
            List.of("block1-2", "block_1", "block_2"),
            List.of("block3-5", "block_3", "block_4", "block_5"),
            List.of("block6-9", "block_6", "block_7", "block_8", "block_9"),
            List.of("block10-12", "block_10", "block_11", "block_12"),
            List.of("block13-15", "block_13", "block_14", "block_15"),
            List.of("block16", "block_16"),
            List.of("head_conv", "Conv_1"));

    private final String id;
    private final NDManager manager;
    private ImageEncoder encoder;
    private final String weightsSha256;
    private final List<List<InvertedResidual>> groups;
    private final List<Map<String, Parameter>> parameters;
    private final Map<String, Parameter> adapters = new LinkedHashMap<>();
    private float dropout;
    private String tunedSha256;

    private MobileNetV2(String id, NDManager manager, ImageEncoder encoder, String weightsSha256,
            List<List<InvertedResidual>> groups) {
        this.id = id;
        this.manager = manager;
        this.encoder = encoder;
        this.weightsSha256 = weightsSha256;
        this.groups = groups;
        this.parameters = new ArrayList<>();
        for (List<InvertedResidual> group : groups) {
            Map<String, Parameter> map = new LinkedHashMap<>();
            for (InvertedResidual block : group) {
                for (ConvBn u : block.units()) {
                    map.put(u.kernel.getName(), u.kernel);
                    map.put(u.gamma.getName(), u.gamma);
                    map.put(u.beta.getName(), u.beta);
                }
            }
            parameters.add(map);
        }
    }

    /**
     * Loads the fetched model ({@code graft models fetch mobilenetv2}).
     *
     * @param id {@code mobilenetv2} or {@code mobilenetv2:N}
     * @param inputSize the pixel size images are resized to, {@value #MIN_SIZE} to {@value #MAX_SIZE}
     * @param encoder reads and preprocesses images; its pipeline must produce {@code inputSize} px, /255
     * @return the backbone, frozen
     */
    public static MobileNetV2 load(String id, int inputSize, ImageEncoder encoder) {
        if (inputSize < MIN_SIZE || inputSize > MAX_SIZE) {
            throw new GraftException("mobilenetv2 input size " + inputSize + " is out of range; use mobilenetv2:N with N from "
                    + MIN_SIZE + " to " + MAX_SIZE + " (224 is the pretrained size)");
        }
        if (encoder.pipeline().size() != inputSize) {
            throw new IllegalArgumentException("the image pipeline produces " + encoder.pipeline().size() + " px, not "
                    + inputSize);
        }
        Path dir = ModelStore.dir(ID);
        if (!ModelStore.isFetched(ID)) {
            throw new GraftException("backbone '" + ID + "' is not fetched yet; run: graft models fetch " + ID);
        }
        String sha;
        try {
            sha = Hashes.sha256Hex(dir.resolve("weights.bin"));
        } catch (IOException e) {
            throw new GraftException("cannot read " + dir.resolve("weights.bin") + ": " + e.getMessage()
                    + "; delete " + dir + " and run: graft models fetch " + ID, e);
        }
        return build(id, TfjsModel.read(dir), sha, encoder);
    }

    /**
     * @param id the backbone's id
     * @param model the tfjs model
     * @param weightsSha256 identifies the weights
     * @param encoder reads and preprocesses images
     * @return the backbone, frozen
     */
    static MobileNetV2 build(String id, TfjsModel model, String weightsSha256, ImageEncoder encoder) {
        Engines.configureOffline();
        NDManager manager = NDManager.newBaseManager();
        try {
            Set<String> used = new HashSet<>();
            List<List<InvertedResidual>> groups = new ArrayList<>();
            for (List<String> spec : GROUPS) {
                List<InvertedResidual> blocks = new ArrayList<>();
                for (String block : spec.subList(1, spec.size())) {
                    blocks.add(block(manager, model, block, used));
                }
                groups.add(blocks);
            }
            for (String name : model.weights().keySet()) {
                if (!used.contains(name) && !name.startsWith("dense_")) {
                    throw new GraftException("the tfjs model has a weight " + name + " that MobileNetV2 does not use;"
                            + " it is not nsfwjs' MobileNetV2: delete " + ModelStore.dir(ID) + " and fetch it again");
                }
            }
            return new MobileNetV2(id, manager, encoder, weightsSha256, groups);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static InvertedResidual block(NDManager m, TfjsModel model, String name, Set<String> used) {
        if (name.equals("Conv1")) {
            return new InvertedResidual(name, List.of(unit(m, model, "Conv1", "bn_Conv1", true, used)), false);
        }
        if (name.equals("Conv_1")) {
            return new InvertedResidual(name, List.of(unit(m, model, "Conv_1", "Conv_1_bn", true, used)), false);
        }
        List<ConvBn> units = new ArrayList<>();
        if (model.hasLayer(name + "_expand")) {
            units.add(unit(m, model, name + "_expand", name + "_expand_BN", true, used));
        }
        units.add(unit(m, model, name + "_depthwise", name + "_depthwise_BN", true, used));
        units.add(unit(m, model, name + "_project", name + "_project_BN", false, used));
        return new InvertedResidual(name, List.copyOf(units), model.hasLayer(name + "_add"));
    }

    private static ConvBn unit(NDManager m, TfjsModel model, String conv, String bn, boolean relu6, Set<String> used) {
        TfjsModel.Layer layer = model.layer(conv);
        JsonNode cfg = layer.config();
        boolean depthwise = layer.className().equals("DepthwiseConv2D");
        if (!depthwise && !layer.className().equals("Conv2D")) {
            throw unexpected(conv + " is a " + layer.className() + ", not a convolution");
        }
        int k = cfg.path("kernel_size").path(0).asInt(0);
        int stride = cfg.path("strides").path(0).asInt(0);
        if (k < 1 || k % 2 == 0 || cfg.path("kernel_size").path(1).asInt(0) != k || stride < 1
                || cfg.path("strides").path(1).asInt(0) != stride || cfg.path("use_bias").asBoolean(false)
                || (depthwise && cfg.path("depth_multiplier").asInt(1) != 1)) {
            throw unexpected(conv + " has a configuration MobileNetV2 does not use: " + cfg);
        }
        int[] pad = new int[4];
        String padding = cfg.path("padding").asText("");
        if (padding.equals("same")) {
            if (stride != 1) {
                throw unexpected(conv + " uses 'same' padding with stride " + stride);
            }
            Arrays.fill(pad, (k - 1) / 2);
        } else if (!padding.equals("valid")) {
            throw unexpected(conv + " has padding '" + padding + "'");
        }
        for (String in : layer.inbound()) {
            TfjsModel.Layer source = model.hasLayer(in) ? model.layer(in) : null;
            if (source != null && source.className().equals("ZeroPadding2D")) {
                JsonNode p = source.config().path("padding");
                pad = new int[] {p.path(0).path(0).asInt(-1), p.path(0).path(1).asInt(-1), p.path(1).path(0).asInt(-1),
                        p.path(1).path(1).asInt(-1)};
                for (int v : pad) {
                    if (v < 0 || v > k) {
                        throw unexpected(in + " has padding " + p);
                    }
                }
            }
        }
        double epsilon = model.layer(bn).config().path("epsilon").asDouble(-1);
        if (Math.abs(epsilon - ConvBn.EPSILON) > 1e-9) {
            throw unexpected(bn + " has epsilon " + epsilon + ", not Keras' 0.001");
        }
        String kernelName = conv + (depthwise ? "/depthwise_kernel" : "/kernel");
        TfjsModel.Weight w = weight(model, kernelName, used);
        if (w.shape().length != 4 || w.shape()[0] != k || w.shape()[1] != k || (depthwise && w.shape()[3] != 1)) {
            throw unexpected(kernelName + " has shape " + Arrays.toString(w.shape()));
        }
        int in = (int) w.shape()[2];
        int out = depthwise ? in : (int) w.shape()[3];
        float[] v = w.values();
        float[] kernel = new float[v.length];
        int perOut = depthwise ? 1 : in;
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < (depthwise ? 1 : out); o++) {
                        int src = ((y * k + x) * in + i) * (depthwise ? 1 : out) + o;
                        int oc = depthwise ? i : o;
                        int ic = depthwise ? 0 : i;
                        kernel[((oc * perOut + ic) * k + y) * k + x] = v[src];
                    }
                }
            }
        }
        Parameter kernelParam = parameter(m, kernelName, kernel, new Shape(out, perOut, k, k));
        Parameter gamma = parameter(m, bn + "/gamma", vector(model, bn + "/gamma", out, used), new Shape(out));
        Parameter beta = parameter(m, bn + "/beta", vector(model, bn + "/beta", out, used), new Shape(out));
        NDArray mean = m.create(vector(model, bn + "/moving_mean", out, used));
        NDArray variance = m.create(vector(model, bn + "/moving_variance", out, used));
        return new ConvBn(conv, bn, kernelParam, gamma, beta, mean, variance, stride, pad, depthwise ? in : 1, relu6);
    }

    private static TfjsModel.Weight weight(TfjsModel model, String name, Set<String> used) {
        TfjsModel.Weight w = model.weights().get(name);
        if (w == null) {
            throw unexpected("weight " + name + " is missing");
        }
        used.add(name);
        return w;
    }

    private static float[] vector(TfjsModel model, String name, int length, Set<String> used) {
        TfjsModel.Weight w = weight(model, name, used);
        if (w.shape().length != 1 || w.values().length != length) {
            throw unexpected(name + " has shape " + Arrays.toString(w.shape()) + ", expected [" + length + "]");
        }
        return w.values();
    }

    private static GraftException unexpected(String what) {
        return new GraftException("the tfjs model is not nsfwjs' MobileNetV2: " + what + "; delete " + ModelStore.dir(ID)
                + " and run: graft models fetch " + ID);
    }

    static Parameter parameter(NDManager m, String name, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optArray(m.create(values, shape)).build();
        p.freeze(true);
        return p;
    }

    private List<ConvBn> units(int group) {
        List<ConvBn> out = new ArrayList<>();
        for (InvertedResidual block : groups.get(group)) {
            out.addAll(block.units());
        }
        return out;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String weightsSha256() {
        return weightsSha256;
    }

    @Override
    public int featureSize() {
        return FEATURES;
    }

    @Override
    public List<LayerGroup> layerGroups() {
        List<LayerGroup> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            long n = 0;
            for (Parameter p : parameters.get(g).values()) {
                n += p.getArray().size();
            }
            out.add(new LayerGroup(GROUPS.get(g).get(0), n));
        }
        return out;
    }

    @Override
    public String preprocessingKey() {
        return encoder.pipeline().key() + ";mobilenetv2-nsfwjs-4.4.0;pool=global-mean"
                + (tunedSha256 == null ? "" : ";tuned=" + tunedSha256);
    }

    /** {@return the input size in pixels} */
    public int inputSize() {
        return encoder.pipeline().size();
    }

    @Override
    public ImageEncoder encoder() {
        return encoder;
    }

    @Override
    public void augment(dev.graft.image.Augmentation augmentation) {
        encoder = encoder.withAugmentation(augmentation);
    }

    @Override
    public int tokenCount(String text) {
        return 1;
    }

    @Override
    public float[][] extractFeatures(List<String> images) {
        Engines.noGradientsOnThisThread();
        float[][] out = new float[images.size()][];
        for (int start = 0; start < images.size(); start += BATCH) {
            List<String> part = images.subList(start, Math.min(images.size(), start + BATCH));
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = encoder.encode(part).input(scope);
                float[] flat = forward(new ParameterStore(scope, false), x, 0, groups.size(), false).toFloatArray();
                for (int i = 0; i < part.size(); i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * FEATURES, (i + 1) * FEATURES);
                }
            }
        }
        return out;
    }

    /**
     * Features of pixels already preprocessed, in inference mode.
     *
     * @param scope owns the result
     * @param pixels (B, 3, S, S)
     * @return pooled features (B, 1280)
     */
    public NDArray features(NDManager scope, NDArray pixels) {
        return forward(new ParameterStore(scope, false), pixels, 0, groups.size(), false);
    }

    private NDArray forward(ParameterStore ps, NDArray x, int from, int to, boolean training) {
        NDArray h = x;
        for (int g = from; g < to; g++) {
            for (InvertedResidual block : groups.get(g)) {
                NDArray next = block.forward(ps, h, training);
                if (h != x) {
                    h.close();
                }
                h = next;
            }
        }
        if (to < groups.size()) {
            return h;
        }
        Shape s = h.getShape();
        NDArray flat = h.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        NDArray pooled = flat.mean(new int[] {2});
        flat.close();
        if (h != x) {
            h.close();
        }
        return pooled;
    }

    @Override
    public Map<String, Parameter> parameters(int group) {
        return Collections.unmodifiableMap(parameters.get(group));
    }

    /** {@return every BatchNorm's running mean and variance by Keras name ({@code bn_Conv1/moving_mean}, ...)} */
    @Override
    public Map<String, float[]> statistics() {
        return batchNormStatistics();
    }

    /** {@return the BatchNorm running means and variances by Keras name ({@code …/moving_mean}, {@code …/moving_variance})} */
    public Map<String, float[]> batchNormStatistics() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (ConvBn u : units(g)) {
                out.put(u.bnName + "/moving_mean", u.movingMean.toFloatArray());
                out.put(u.bnName + "/moving_variance", u.movingVariance.toFloatArray());
            }
        }
        return out;
    }

    @Override
    public void restoreStatistics(Map<String, float[]> statistics) {
        Map<String, NDArray> all = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (ConvBn u : units(g)) {
                all.put(u.bnName + "/moving_mean", u.movingMean);
                all.put(u.bnName + "/moving_variance", u.movingVariance);
            }
        }
        statistics.forEach((name, values) -> {
            NDArray a = all.get(name);
            if (a == null) {
                throw new IllegalArgumentException("'" + name + "' is not a running statistic of " + id);
            }
            a.set(values);
        });
    }

    /** Convolution kernels decay; BatchNorm scales and shifts do not. */
    @Override
    public boolean decays(String name) {
        return name.endsWith("kernel") || name.endsWith("/lora_A") || name.endsWith("/lora_B");
    }

    @Override
    public void setTrainable(int group, boolean trainable) {
        for (Parameter p : parameters.get(group).values()) {
            p.freeze(!trainable);
        }
    }

    /**
     * INFERENCE, RECALIBRATE: running statistics, fixed scale and shift. TRAIN_AFFINE: running
     * statistics, trainable scale and shift. TRAIN: batch statistics, running ones updated with
     * Keras' momentum 0.999. Outside training mode every BatchNorm uses its running statistics.
     */
    @Override
    public void setBatchNorm(int group, BatchNormPolicy policy) {
        for (ConvBn u : units(group)) {
            u.policy = policy;
        }
    }

    /**
     * AdaBN: runs the batches once without gradients while the given groups' BatchNorms normalise
     * with batch statistics, then sets their running statistics to the mean and (biased) variance
     * of their inputs over all those batches.
     */
    @Override
    public void recalibrateBatchNorm(List<InputBatch> batches, Set<Integer> groupIndices) {
        if (groupIndices.isEmpty() || batches.isEmpty()) {
            return;
        }
        Engines.noGradientsOnThisThread();
        int top = Collections.max(groupIndices) + 1;
        List<ConvBn> collecting = new ArrayList<>();
        for (int g : groupIndices) {
            collecting.addAll(units(g));
        }
        collecting.forEach(ConvBn::collect);
        try {
            for (InputBatch batch : batches) {
                try (NDManager scope = manager.newSubManager()) {
                    forward(new ParameterStore(scope, false), batch.input(scope), 0, top, false);
                }
            }
        } finally {
            collecting.forEach(ConvBn::finishCollecting);
        }
    }

    /**
     * Sets the dropout on the pooled features while training.
     *
     * @param rate dropout on the pooled features during training (0 = none)
     */
    @Override
    public void setDropout(float rate) {
        this.dropout = rate;
    }

    @Override
    public NDArray hiddenAt(NDManager target, InputBatch batch, int boundary) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray h = forward(new ParameterStore(scope, false), batch.input(scope), 0, boundary, false);
            h.attach(target);
            return h;
        }
    }

    /**
     * Runs the network from a layer-group boundary up.
     *
     * @param mask unused (null): images have none
     */
    @Override
    public NDArray forwardFrom(ParameterStore ps, NDArray input, NDArray mask, int boundary, boolean training) {
        NDArray pooled = boundary == groups.size() ? input : forward(ps, input, boundary, groups.size(), training);
        return training && dropout > 0 ? Dropout.dropout(pooled, dropout, true).singletonOrThrow() : pooled;
    }

    /**
     * Replaces parameters with fine-tuned values from a bundle.
     *
     * @param tensors parameters, BatchNorm running statistics ({@code .../moving_mean},
     *     {@code .../moving_variance}) and LoRA adapters by name, layouts as in the class comment
     */
    @Override
    public void loadTuned(Map<String, float[]> tensors, String sha256) {
        Map<String, NDArray> all = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            parameters.get(g).forEach((name, p) -> all.put(name, p.getArray()));
            for (ConvBn u : units(g)) {
                all.put(u.bnName + "/moving_mean", u.movingMean);
                all.put(u.bnName + "/moving_variance", u.movingVariance);
            }
        }
        adapters.forEach((name, p) -> all.put(name, p.getArray()));
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            NDArray a = all.get(e.getKey());
            if (a == null) {
                throw new GraftException("tuned weight '" + e.getKey() + "' is not a parameter of " + id
                        + "; the bundle was made for another backbone");
            }
            if (a.size() != e.getValue().length) {
                throw new GraftException("tuned weight '" + e.getKey() + "' has " + e.getValue().length + " values, " + id
                        + " expects " + a.size());
            }
            a.set(e.getValue());
        }
        this.tunedSha256 = sha256;
    }

    /** The pointwise convolutions LoRA adapts: expand, project and {@code Conv_1} of the top groups. */
    private List<ConvBn> loraTargets(AdapterSpec spec) {
        if (!spec.kind().equals("lora")) {
            throw new GraftException("prefix tuning needs a transformer backbone; use lora or a fine-tuning strategy");
        }
        int first = spec.blocks() == 0 ? 0 : Math.max(0, groups.size() - spec.blocks());
        List<ConvBn> out = new ArrayList<>();
        for (int g = first; g < groups.size(); g++) {
            for (ConvBn u : units(g)) {
                if (u.pointwise()) {
                    out.add(u);
                }
            }
        }
        return out;
    }

    /**
     * LoRA on every pointwise (1×1) convolution of the top {@code spec.blocks()} layer groups (all
     * when 0), whatever {@code spec.targets()} says: a 1×1 convolution is a linear map over
     * channels, adapted as {@code W + scale · B·A} with B zero at first.
     */
    @Override
    public Map<String, Parameter> attachAdapters(AdapterSpec spec, long seed) {
        if (!adapters.isEmpty()) {
            throw new IllegalStateException("adapters are already attached");
        }
        Random random = new Random(seed);
        for (ConvBn u : loraTargets(spec)) {
            Parameter[] ab = u.attachLora(manager, spec.rank(), (float) spec.scale(), (float) spec.dropout(), random);
            adapters.put(ab[0].getName(), ab[0]);
            adapters.put(ab[1].getName(), ab[1]);
        }
        return Collections.unmodifiableMap(adapters);
    }

    @Override
    public long adapterParameterCount(AdapterSpec spec) {
        long n = 0;
        for (ConvBn u : loraTargets(spec)) {
            n += (long) spec.rank() * (u.inChannels() + u.outChannels());
        }
        return n;
    }

    @Override
    public Map<String, Parameter> adapterParameters() {
        return Collections.unmodifiableMap(adapters);
    }

    @Override
    public Map<String, float[]> mergeAdapters() {
        Map<String, float[]> merged = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (ConvBn u : units(g)) {
                if (u.loraA != null) {
                    merged.put(u.kernel.getName(), u.mergeLora());
                }
            }
        }
        adapters.clear();
        return merged;
    }

    @Override
    public void close() {
        manager.close();
    }
}
