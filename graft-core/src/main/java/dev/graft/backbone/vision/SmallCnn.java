package dev.graft.backbone.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.Engines;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.graph.BatchNormalization;
import dev.graft.backbone.graph.Convolution;
import dev.graft.backbone.graph.LayerGraph;
import dev.graft.backbone.graph.Padding;
import dev.graft.backbone.graph.Pooling;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A compact CNN for small images, the from-scratch baseline: three groups {@code conv1},
 * {@code conv2}, {@code conv3} of 3×3 convolution, BatchNorm and ReLU (32, 64 and 128 channels;
 * 2×2 max pooling after the first two), then global average pooling to 128 features. Weights
 * start from a fixed He initialisation, or from a directory written by {@code graft pretrain}.
 */
public final class SmallCnn implements ImageBackbone {

    /** The registry id. */
    public static final String ID = "smallcnn";
    /** Default input size: MNIST's 28 pixels. */
    public static final int DEFAULT_SIZE = 28;
    static final int[] CHANNELS = {32, 64, 128};
    private static final long INIT_SEED = 20_261_129L;

    private final String id;
    private final NDManager manager = NDManager.newBaseManager();
    private ImageEncoder encoder;
    private final boolean pretrained;
    private final List<List<Block>> groups = new ArrayList<>();
    private final List<Map<String, Parameter>> parameters = new ArrayList<>();
    private final BatchNormPolicy[] policies = new BatchNormPolicy[CHANNELS.length];
    private final String weightsSha256;
    private String tunedSha256;
    private float dropout;

    /**
     * Builds the small CNN, with pretrained weights or a fixed random initialisation.
     *
     * @param id the id it was loaded by ({@code smallcnn}, {@code smallcnn:N} or {@code cnn:DIR})
     * @param encoder image pipeline (its size is the input size)
     * @param weights pretrained values by parameter name, or null for the fixed random initialisation
     */
    public SmallCnn(String id, ImageEncoder encoder, Map<String, float[]> weights) {
        Engines.configureOffline();
        this.id = id;
        this.encoder = encoder;
        this.pretrained = weights != null;
        int in = 3;
        for (int g = 0; g < CHANNELS.length; g++) {
            List<Block> blocks = new ArrayList<>(List.of(
                    Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(CHANNELS[g])
                            .optBias(false).build(),
                    BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build(),
                    Activation.reluBlock()));
            if (g < CHANNELS.length - 1) {
                blocks.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            Shape shape = new Shape(1, in, 8, 8);
            for (Block b : blocks) {
                b.initialize(manager, DataType.FLOAT32, shape);
                shape = b.getOutputShapes(new Shape[] {shape})[0];
            }
            groups.add(blocks);
            Map<String, Parameter> named = new LinkedHashMap<>();
            named.put("conv" + (g + 1) + ".weight", blocks.get(0).getParameters().get("weight"));
            for (Pair<String, Parameter> p : blocks.get(1).getParameters()) {
                named.put("conv" + (g + 1) + ".bn." + p.getKey(), p.getValue());
            }
            parameters.add(named);
            policies[g] = BatchNormPolicy.INFERENCE;
            in = CHANNELS[g];
        }
        if (weights == null) {
            Random random = new Random(INIT_SEED);
            for (int g = 0; g < CHANNELS.length; g++) {
                NDArray w = parameters.get(g).get("conv" + (g + 1) + ".weight").getArray();
                long fanIn = w.getShape().get(1) * 9;
                float[] v = new float[Math.toIntExact(w.size())];
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
                w.set(v);
            }
        } else {
            set(weights, "pretrained weights");
        }
        for (Map<String, Parameter> group : parameters) {
            group.values().forEach(p -> p.freeze(true));
        }
        this.weightsSha256 = hash(weights());
    }

    /**
     * The network as a {@link LayerGraph} holding copies of its current
     * weights, for export: per group a 3×3 convolution, BatchNorm, ReLU and (but the last) a 2×2
     * max pool.
     *
     * @param target owns the copies
     * @return the network, in inference mode
     */
    public LayerGraph asGraph(NDManager target) {
        List<LayerGraph.Node> nodes = new ArrayList<>();
        Map<String, float[]> w = weights();
        Map<String, long[]> shapes = shapes();
        for (int g = 0; g < CHANNELS.length; g++) {
            String c = "conv" + (g + 1);
            Parameter kernel = LayerGraph.parameter(target, c + ".weight", w.get(c + ".weight"),
                    new Shape(shapes.get(c + ".weight")));
            int previous = nodes.size() - 1;
            nodes.add(new LayerGraph.Node(c, new Convolution(kernel, null,
                    new int[] {1, 1}, new int[] {1, 1}, Padding.of(1, 1, 1, 1), 1, null),
                    new int[] {previous}));
            Parameter gamma = LayerGraph.parameter(target, c + ".bn.gamma", w.get(c + ".bn.gamma"),
                    new Shape(CHANNELS[g]));
            Parameter beta = LayerGraph.parameter(target, c + ".bn.beta", w.get(c + ".bn.beta"),
                    new Shape(CHANNELS[g]));
            nodes.add(new LayerGraph.Node(c + ".bn", new BatchNormalization(
                    c + ".bn", gamma, beta, target.create(w.get(c + ".bn.runningMean")),
                    target.create(w.get(c + ".bn.runningVar")), 1e-5f, 0.9f), new int[] {nodes.size() - 1}));
            nodes.add(new LayerGraph.Node(c + ".relu",
                    dev.graft.backbone.graph.Activation.of(dev.graft.backbone.graph.Activation.Kind.RELU),
                    new int[] {nodes.size() - 1}));
            if (g < CHANNELS.length - 1) {
                nodes.add(new LayerGraph.Node(c + ".pool", new Pooling(true,
                        new int[] {2, 2}, new int[] {2, 2}, Padding.VALID, false),
                        new int[] {nodes.size() - 1}));
            }
        }
        return new LayerGraph(nodes, 3);
    }

    /** {@return every parameter's values by name, BatchNorm running statistics included} */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach(g -> g.forEach((name, p) -> out.put(name, p.getArray().toFloatArray())));
        return out;
    }

    /** {@return every parameter's shape by name} */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        parameters.forEach(g -> g.forEach((name, p) -> out.put(name, p.getArray().getShape().getShape())));
        return out;
    }

    /** Parameter names in the order {@link #weights()} lists them. */
    static List<String> weightNames() {
        List<String> names = new ArrayList<>();
        for (int g = 1; g <= CHANNELS.length; g++) {
            names.add("conv" + g + ".weight");
            for (String statistic : List.of("gamma", "beta", "runningMean", "runningVar")) {
                names.add("conv" + g + ".bn." + statistic);
            }
        }
        return names;
    }

    /**
     * @param weights pretrained values by parameter name, as a {@code cnn:DIR} holds them
     * @return the {@link #weightsSha256()} of a network loaded from them, computed without building
     *     it; null when they are not exactly its parameters
     */
    public static String weightsSha256Of(Map<String, float[]> weights) {
        List<String> names = weightNames();
        if (!weights.keySet().equals(Set.copyOf(names))) {
            return null;
        }
        Map<String, float[]> ordered = new LinkedHashMap<>();
        names.forEach(n -> ordered.put(n, weights.get(n)));
        return hash(ordered);
    }

    private static String hash(Map<String, float[]> weights) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        weights.forEach((name, v) -> {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            sha.update(buf.array());
        });
        return HexFormat.of().formatHex(sha.digest());
    }

    private void set(Map<String, float[]> tensors, String what) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        parameters.forEach(all::putAll);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            Parameter p = all.get(e.getKey());
            if (p == null) {
                throw new GraftException(what + ": '" + e.getKey() + "' is not a parameter of " + ID
                        + "; the weights were made for another backbone");
            }
            if (p.getArray().size() != e.getValue().length) {
                throw new GraftException(what + ": '" + e.getKey() + "' has " + e.getValue().length + " values, "
                        + ID + " expects " + p.getArray().size() + " (input channels or sizes differ)");
            }
            p.getArray().set(e.getValue());
        }
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
        return CHANNELS[CHANNELS.length - 1];
    }

    @Override
    public List<LayerGroup> layerGroups() {
        List<LayerGroup> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            long n = 0;
            for (Map.Entry<String, Parameter> e : parameters.get(g).entrySet()) {
                if (!e.getKey().contains("running")) {
                    n += e.getValue().getArray().size();
                }
            }
            out.add(new LayerGroup("conv" + (g + 1), n));
        }
        return out;
    }

    @Override
    public String preprocessingKey() {
        return encoder.pipeline().key() + (tunedSha256 == null ? "" : ";tuned=" + tunedSha256);
    }

    @Override
    public int tokenCount(String text) {
        return 1;
    }

    @Override
    public float[][] extractFeatures(List<String> inputs) {
        if (inputs.isEmpty()) {
            return new float[0][];
        }
        Engines.noGradientsOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            NDArray pooled = hiddenAt(scope, encoder.encode(inputs), groups.size());
            float[] flat = pooled.toFloatArray();
            int width = featureSize();
            float[][] out = new float[inputs.size()][width];
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(flat, i * width, out[i], 0, width);
            }
            return out;
        }
    }

    @Override
    public ImageEncoder encoder() {
        return encoder;
    }

    @Override
    public void augment(Augmentation augmentation) {
        encoder = encoder.withAugmentation(augmentation);
    }

    @Override
    public boolean pretrained() {
        return pretrained;
    }

    @Override
    public Map<String, Parameter> parameters(int group) {
        return Collections.unmodifiableMap(parameters.get(group));
    }

    /** {@return the BatchNorm running means and variances by parameter name ({@code conv1.bn.runningMean}, ...)} */
    @Override
    public Map<String, float[]> statistics() {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach(g -> g.forEach((name, p) -> {
            if (name.contains(".bn.running")) {
                out.put(name, p.getArray().toFloatArray());
            }
        }));
        return out;
    }

    @Override
    public void restoreStatistics(Map<String, float[]> statistics) {
        for (String name : statistics.keySet()) {
            if (!name.contains(".bn.running")) {
                throw new IllegalArgumentException("'" + name + "' is not a running statistic of " + ID);
            }
        }
        set(statistics, "running statistics");
    }

    @Override
    public boolean decays(String name) {
        return name.endsWith(".weight") && !name.contains(".bn.");
    }

    @Override
    public void setTrainable(int group, boolean trainable) {
        parameters.get(group).forEach((name, p) -> p.freeze(!trainable || name.contains("running")));
        setBatchNorm(group, policies[group]);
    }

    @Override
    public void setBatchNorm(int group, BatchNormPolicy policy) {
        policies[group] = policy;
        boolean groupTrains = parameters.get(group).get("conv" + (group + 1) + ".weight").requiresGradient();
        boolean affine = groupTrains && (policy == BatchNormPolicy.TRAIN || policy == BatchNormPolicy.TRAIN_AFFINE);
        parameters.get(group).forEach((name, p) -> {
            if (name.endsWith(".bn.gamma") || name.endsWith(".bn.beta")) {
                p.freeze(!affine);
            }
        });
    }

    @Override
    public void recalibrateBatchNorm(List<InputBatch> batches, Set<Integer> which) {
        Engines.noGradientsOnThisThread();
        int top = which.stream().mapToInt(Integer::intValue).max().orElse(-1);
        List<double[]> sums = new ArrayList<>();
        List<double[]> squares = new ArrayList<>();
        long[] counts = new long[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            sums.add(new double[CHANNELS[g]]);
            squares.add(new double[CHANNELS[g]]);
        }
        for (InputBatch batch : batches) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = batch.input(scope);
                ParameterStore ps = new ParameterStore(scope, false);
                for (int g = 0; g <= top; g++) {
                    List<Block> blocks = groups.get(g);
                    x = blocks.get(0).forward(ps, new NDList(x), false).singletonOrThrow();
                    if (which.contains(g)) {
                        NDArray perChannel = x.transpose(1, 0, 2, 3).reshape(x.getShape().get(1), -1);
                        float[] mean = perChannel.mean(new int[] {1}).toFloatArray();
                        float[] meanSquare = perChannel.square().mean(new int[] {1}).toFloatArray();
                        long n = x.getShape().get(0);
                        for (int c = 0; c < mean.length; c++) {
                            sums.get(g)[c] += mean[c] * n;
                            squares.get(g)[c] += meanSquare[c] * n;
                        }
                        counts[g] += n;
                    }
                    for (Block b : blocks.subList(1, blocks.size())) {
                        x = b.forward(ps, new NDList(x), false).singletonOrThrow();
                    }
                }
            }
        }
        for (int g : which) {
            if (counts[g] == 0) {
                continue;
            }
            float[] mean = new float[CHANNELS[g]];
            float[] var = new float[CHANNELS[g]];
            for (int c = 0; c < mean.length; c++) {
                double m = sums.get(g)[c] / counts[g];
                mean[c] = (float) m;
                var[c] = (float) Math.max(0, squares.get(g)[c] / counts[g] - m * m);
            }
            parameters.get(g).get("conv" + (g + 1) + ".bn.runningMean").getArray().set(mean);
            parameters.get(g).get("conv" + (g + 1) + ".bn.runningVar").getArray().set(var);
        }
    }

    @Override
    public void setDropout(float rate) {
        this.dropout = rate;
    }

    @Override
    public NDArray hiddenAt(NDManager target, InputBatch batch, int boundary) {
        // no change of the thread's gradient mode: this runs inside training steps when frozen outputs are not cached
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = run(new ParameterStore(scope, false), batch.input(scope), 0, boundary, false);
            x.attach(target);
            return x;
        }
    }

    @Override
    public NDArray forwardFrom(ParameterStore ps, NDArray input, NDArray mask, int boundary, boolean training) {
        NDArray x = run(ps, input, boundary, groups.size(), training);
        if (training && dropout > 0) {
            x = Dropout.builder().optRate(dropout).build().forward(ps, new NDList(x), true).singletonOrThrow();
        }
        return x;
    }

    /** Runs groups {@code from} to {@code to - 1}; pools when {@code to} is the top. */
    private NDArray run(ParameterStore ps, NDArray input, int from, int to, boolean training) {
        NDArray x = input;
        if (from == groups.size()) {
            return x;
        }
        for (int g = from; g < to; g++) {
            boolean batchStatistics = training && policies[g] == BatchNormPolicy.TRAIN
                    && parameters.get(g).get("conv" + (g + 1) + ".weight").requiresGradient();
            for (Block b : groups.get(g)) {
                boolean mode = b instanceof BatchNorm ? batchStatistics : training;
                x = b.forward(ps, new NDList(x), mode).singletonOrThrow();
            }
        }
        return to == groups.size() ? x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}) : x;
    }

    @Override
    public void loadTuned(Map<String, float[]> tensors, String sha256) {
        set(tensors, "tuned weights");
        this.tunedSha256 = sha256;
    }

    @Override
    public Map<String, Parameter> attachAdapters(AdapterSpec spec, long seed) {
        throw new GraftException(ID + " has no adapters: it is small enough to fine-tune fully; use the full strategy");
    }

    @Override
    public long adapterParameterCount(AdapterSpec spec) {
        throw new GraftException(ID + " has no adapters: it is small enough to fine-tune fully; use the full strategy");
    }

    @Override
    public Map<String, Parameter> adapterParameters() {
        return Map.of();
    }

    @Override
    public Map<String, float[]> mergeAdapters() {
        return Map.of();
    }

    @Override
    public void close() {
        manager.close();
    }
}
