package dev.graft.backbone.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.graft.GraftException;
import dev.graft.adapt.AdapterSpec;
import dev.graft.adapt.BatchNormPolicy;
import dev.graft.backbone.Engines;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.vision.ImageBackbone;
import dev.graft.image.Augmentation;
import dev.graft.image.ImageEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * An imported convolutional network as a trainable image backbone. Inputs are preprocessed
 * pixels (B, C, S, S); the features are the output of the feature layer, averaged over height and
 * width when it is an image. Parameters carry the source model's names; BatchNorm running
 * statistics are {@code <layer>/moving_mean} and {@code <layer>/moving_variance}; LoRA adapts the
 * pointwise convolutions ({@code <kernel>/lora_A}, {@code <kernel>/lora_B}).
 */
public final class GraphBackbone implements ImageBackbone {

    private static final int BATCH = 32;

    private final String id;
    private final NDManager manager;
    private final LayerGraph graph;
    private final String weightsSha256;
    private final String architectureKey;
    private final int featureSize;
    private final Map<String, Parameter> adapters = new LinkedHashMap<>();
    private ImageEncoder encoder;
    private float dropout;
    private String tunedSha256;

    /**
     * @param id the backbone id
     * @param manager owns the graph's arrays; closed with the backbone
     * @param graph the network up to the feature layer
     * @param encoder reads and preprocesses images
     * @param weightsSha256 identifies the weights
     * @param architectureKey identifies the network and its feature layer in the preprocessing key
     */
    public GraphBackbone(String id, NDManager manager, LayerGraph graph, ImageEncoder encoder, String weightsSha256,
            String architectureKey) {
        this.id = id;
        this.manager = manager;
        this.graph = graph;
        this.encoder = encoder;
        this.weightsSha256 = weightsSha256;
        this.architectureKey = architectureKey;
        this.featureSize = measureFeatureSize();
    }

    private int measureFeatureSize() {
        Engines.noGradientsOnThisThread();
        int size = encoder.pipeline().size();
        try (NDManager scope = manager.newSubManager()) {
            NDArray probe = scope.zeros(new Shape(1, graph.inputChannels(), size, size));
            NDArray out = forward(new ParameterStore(scope, false), probe, 0, groupCount(), false);
            return (int) out.getShape().get(1);
        } catch (ai.djl.engine.EngineException e) {
            throw new GraftException(id + " cannot run at " + size + " px: " + firstLine(e.getMessage())
                    + "; choose a larger input size", e);
        }
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse(message);
    }

    /** {@return the network} */
    public LayerGraph graph() {
        return graph;
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
        return featureSize;
    }

    /** {@return the input size in pixels} */
    public int inputSize() {
        return encoder.pipeline().size();
    }

    @Override
    public List<LayerGroup> layerGroups() {
        List<LayerGroup> out = new ArrayList<>();
        for (int g = 0; g < graph.layerGroups().size(); g++) {
            long n = 0;
            for (Parameter p : graph.parameters(g).values()) {
                n += p.getArray().size();
            }
            out.add(new LayerGroup(graph.layerGroups().get(g).name(), n));
        }
        return out;
    }

    @Override
    public String preprocessingKey() {
        return encoder.pipeline().key() + ";" + architectureKey + ";pool=global-mean"
                + (tunedSha256 == null ? "" : ";tuned=" + tunedSha256);
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
                float[] flat = forward(new ParameterStore(scope, false), x, 0, groupCount(), false).toFloatArray();
                for (int i = 0; i < part.size(); i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * featureSize, (i + 1) * featureSize);
                }
            }
        }
        return out;
    }

    /**
     * Features of pixels already preprocessed, in inference mode.
     *
     * @param scope owns the result
     * @param pixels (B, C, S, S)
     * @return pooled features (B, features)
     */
    public NDArray features(NDManager scope, NDArray pixels) {
        return forward(new ParameterStore(scope, false), pixels, 0, groupCount(), false);
    }

    private NDArray forward(ParameterStore ps, NDArray x, int from, int to, boolean training) {
        NDArray h = graph.run(ps, x, from, to, training);
        if (to < groupCount() || h.getShape().dimension() == 2) {
            return h;
        }
        if (h.getShape().dimension() != 4) {
            throw new GraftException(id + ": the feature layer gives a tensor of shape " + h.getShape()
                    + "; choose a layer whose output is an image or a flat vector");
        }
        NDArray pooled = Pooling.global(h, false, false);
        if (h != x) {
            h.close();
        }
        return pooled;
    }

    @Override
    public Map<String, Parameter> parameters(int group) {
        return Collections.unmodifiableMap(graph.parameters(group));
    }

    @Override
    public Map<String, float[]> statistics() {
        Map<String, float[]> out = new LinkedHashMap<>();
        graph.statistics().forEach((name, a) -> out.put(name, a.toFloatArray()));
        return out;
    }

    @Override
    public void restoreStatistics(Map<String, float[]> statistics) {
        Map<String, NDArray> all = graph.statistics();
        statistics.forEach((name, values) -> {
            NDArray a = all.get(name);
            if (a == null) {
                throw new IllegalArgumentException("'" + name + "' is not a running statistic of " + id);
            }
            a.set(values);
        });
    }

    @Override
    public boolean decays(String name) {
        return graph.decays(name);
    }

    @Override
    public void setTrainable(int group, boolean trainable) {
        for (Parameter p : graph.parameters(group).values()) {
            p.freeze(!trainable);
        }
    }

    /**
     * INFERENCE, RECALIBRATE: running statistics, fixed scale and shift. TRAIN_AFFINE: running
     * statistics, trainable scale and shift. TRAIN: batch statistics, running ones updated with
     * the layer's momentum. Outside training mode every BatchNorm uses its running statistics.
     */
    @Override
    public void setBatchNorm(int group, BatchNormPolicy policy) {
        for (GraphOp op : graph.ops(group)) {
            if (op instanceof BatchNormalization bn) {
                bn.policy(policy);
            }
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
        List<BatchNormalization> collecting = new ArrayList<>();
        for (int g : groupIndices) {
            for (GraphOp op : graph.ops(g)) {
                if (op instanceof BatchNormalization bn) {
                    collecting.add(bn);
                }
            }
        }
        collecting.forEach(BatchNormalization::collect);
        try {
            for (InputBatch batch : batches) {
                try (NDManager scope = manager.newSubManager()) {
                    graph.run(new ParameterStore(scope, false), batch.input(scope), 0, top, false);
                }
            }
        } finally {
            collecting.forEach(BatchNormalization::finishCollecting);
        }
    }

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
        NDArray pooled = boundary == groupCount() ? input : forward(ps, input, boundary, groupCount(), training);
        return training && dropout > 0 ? Dropout.dropout(pooled, dropout, true).singletonOrThrow() : pooled;
    }

    @Override
    public void loadTuned(Map<String, float[]> tensors, String sha256) {
        Map<String, NDArray> all = new LinkedHashMap<>(graph.statistics());
        for (int g = 0; g < groupCount(); g++) {
            graph.parameters(g).forEach((name, p) -> all.put(name, p.getArray()));
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

    private List<Convolution> loraTargets(AdapterSpec spec) {
        if (!spec.kind().equals("lora")) {
            throw new GraftException("prefix tuning needs a transformer backbone; use lora or a fine-tuning strategy");
        }
        int first = spec.blocks() == 0 ? 0 : Math.max(0, groupCount() - spec.blocks());
        List<Convolution> out = new ArrayList<>();
        for (int g = first; g < groupCount(); g++) {
            for (GraphOp op : graph.ops(g)) {
                if (op instanceof Convolution c && c.pointwise()) {
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            throw new GraftException(id + " has no pointwise (1×1) convolution in its top " + spec.blocks()
                    + " layer groups for LoRA to adapt; use a fine-tuning strategy");
        }
        return out;
    }

    /**
     * LoRA on every pointwise (1×1) convolution of the top {@code spec.blocks()} layer groups (all
     * when 0), whatever {@code spec.targets()} says.
     */
    @Override
    public Map<String, Parameter> attachAdapters(AdapterSpec spec, long seed) {
        if (!adapters.isEmpty()) {
            throw new IllegalStateException("adapters are already attached");
        }
        Random random = new Random(seed);
        for (Convolution c : loraTargets(spec)) {
            for (Parameter p : c.attachLora(manager, spec.rank(), (float) spec.scale(), (float) spec.dropout(), random)) {
                adapters.put(p.getName(), p);
            }
        }
        return Collections.unmodifiableMap(adapters);
    }

    @Override
    public long adapterParameterCount(AdapterSpec spec) {
        long n = 0;
        for (Convolution c : loraTargets(spec)) {
            n += (long) spec.rank() * (c.inChannels() + c.outChannels());
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
        for (LayerGraph.Node node : graph.nodes()) {
            if (node.op() instanceof Convolution c && !c.lora().isEmpty()) {
                merged.put(c.kernel().getName(), c.mergeLora());
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
