package dev.graft.backbone.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.graft.GraftException;
import dev.graft.backbone.Engines;
import dev.graft.backbone.InputBatch;
import dev.graft.backbone.LayerGroup;
import dev.graft.backbone.TrainableBackbone;
import dev.graft.backbone.onnx.OnnxInitializers.FloatTensor;
import dev.graft.io.Hashes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family encoder built from DJL blocks: the embedded MiniLM ({@link MiniLm}) or a Hugging
 * Face directory ({@link HfDirectory}). Features are the pooled last hidden state (masked mean or
 * the first token), L2-normalised when the model says so.
 */
public final class BertBackbone implements TrainableBackbone, BertModel {

    private final String id;
    private final NDManager manager;
    private final BertEncoder encoder;
    private final TextTokenizer tokenizer;
    private final String weightsSha256;
    private final String tokenizerSha256;
    private final byte[] tokenizerJson;
    private final java.util.List<java.util.Map<String, Parameter>> groups;
    private String tunedSha256;
    private FrozenEngine frozenEngine = FrozenEngine.configured();
    /**
     * The frozen encoder on ONNX Runtime, made from the weights of the moment it was first needed.
     * Anything that may change a weight drops it (a group made trainable or frozen, tuned weights
     * loaded, adapters attached or merged), and it is used only while no parameter is trainable
     * and no adapter attached: an optimiser changes only trainable parameters.
     */
    private OnnxEncoder onnxEncoder;
    private dev.graft.Precision precision = dev.graft.Precision.FP32;
    private long textsOnPyTorch;

    private BertBackbone(String id, NDManager manager, BertEncoder encoder, TextTokenizer tokenizer, String weightsSha256,
            byte[] tokenizerJson) {
        this.id = id;
        this.manager = manager;
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.weightsSha256 = weightsSha256;
        this.tokenizerJson = tokenizerJson.clone();
        this.tokenizerSha256 = Hashes.sha256Hex(tokenizerJson);
        this.groups = BertParameters.byGroup(encoder);
    }

    /**
     * @param id the backbone's id
     * @param config the encoder's shape
     * @param pooling how hidden states become one vector
     * @param tensors weights by Hugging Face name
     * @param onnxLayout whether linear weights are stored [in, out] (ONNX MatMul) rather than [out, in] (PyTorch)
     * @param weightsSha256 hash identifying the weights
     * @param tokenizerJson the tokenizer.json bytes
     * @param maxLength truncation length in tokens, 8 to 512
     * @param source a name for error messages
     * @return the backbone, frozen
     */
    static BertBackbone build(String id, BertConfig config, Pooling pooling, Map<String, FloatTensor> tensors,
            boolean onnxLayout, String weightsSha256, byte[] tokenizerJson, int maxLength, String source) {
        Engines.configureOffline();
        TextTokenizer tokenizer;
        try {
            tokenizer = new TextTokenizer(tokenizerJson, maxLength);
        } catch (IOException e) {
            throw new GraftException(source + ": tokenizer.json cannot be read: " + e.getMessage(), e);
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            BertEncoder encoder = new BertEncoder(config, pooling);
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 8), new Shape(1, 8));
            BertWeights.load(encoder, tensors, onnxLayout, source);
            encoder.freezeParameters(true);
            return new BertBackbone(id, manager, encoder, tokenizer, weightsSha256, tokenizerJson);
        } catch (RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /** {@return the encoder's shape} */
    public BertConfig config() {
        return encoder.config();
    }

    /** {@return the tokenizer.json the backbone was loaded with} */
    public byte[] tokenizerJson() {
        return tokenizerJson.clone();
    }

    /** {@return how hidden states are pooled} */
    public Pooling pooling() {
        return encoder.pooling();
    }

    /**
     * {@return every parameter's current values by Hugging Face name, linear weights [out, in]
     *     (adapters not included; merge them first)}
     */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Map<String, Parameter> group : groups) {
            group.forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        }
        return out;
    }

    /** {@return every parameter's shape by Hugging Face name} */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        for (Map<String, Parameter> group : groups) {
            group.forEach((name, p) -> out.put(name, p.getArray().getShape().getShape()));
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
        return encoder.config().hidden();
    }

    @Override
    public List<LayerGroup> layerGroups() {
        List<LayerGroup> groups = new ArrayList<>();
        groups.add(new LayerGroup("embeddings", count(encoder.embeddings)));
        for (int i = 0; i < encoder.layers.size(); i++) {
            groups.add(new LayerGroup("block" + i, count(encoder.layers.get(i))));
        }
        return groups;
    }

    private static long count(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }

    @Override
    public String preprocessingKey() {
        return "tokenizer=" + tokenizerSha256 + ";maxLength=" + tokenizer.maxLength() + ";" + encoder.pooling().key()
                + (tunedSha256 == null ? "" : ";tuned=" + tunedSha256)
                + (precision == dev.graft.Precision.FP32 ? "" : ";" + precision.keyPart());
    }

    /** {@return the truncation length in tokens} */
    public int maxLength() {
        return tokenizer.maxLength();
    }

    @Override
    public TextTokenizer encoder() {
        return tokenizer;
    }

    /** {@return the tokenizer, truncating at the maximum length} */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int tokenCount(String text) {
        return tokenizer.countTokens(text);
    }

    @Override
    public int[] tokenCounts(List<String> texts) {
        return tokenizer.countTokens(texts);
    }

    @Override
    public int batchLength(String text) {
        return tokenizer.length(text);
    }

    @Override
    public float[][] extractFeatures(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        TextTokenizer.Batch batch = tokenizer.encode(texts);
        if (onOnnxRuntime(texts.size())) {
            if (onnxEncoder == null) {
                onnxEncoder = new OnnxEncoder(this, precision, ai.djl.pytorch.jni.JniUtils.getNumThreads());
            }
            return onnxEncoder.features(batch);
        }
        textsOnPyTorch += texts.size();
        Engines.noGradientsOnThisThread();
        try (NDManager scope = manager.newSubManager()) {
            Shape shape = new Shape(batch.size(), batch.length());
            NDArray ids = scope.create(batch.ids(), shape);
            NDArray mask = scope.create(batch.mask(), shape);
            NDArray pooled = encoder.forward(new ParameterStore(scope, false), new NDList(ids, mask), false)
                    .singletonOrThrow();
            float[] flat = pooled.toFloatArray();
            int width = featureSize();
            float[][] out = new float[batch.size()][width];
            for (int i = 0; i < out.length; i++) {
                System.arraycopy(flat, i * width, out[i], 0, width);
            }
            return out;
        }
    }

    /**
     * Chooses the engine that computes features while the encoder is frozen.
     *
     * @param engine the engine of {@link #extractFeatures} while the encoder is frozen (by default
     *     {@link FrozenEngine#configured()})
     */
    public void useFrozenEngine(FrozenEngine engine) {
        this.frozenEngine = engine;
    }

    /**
     * Chooses the arithmetic of frozen features: {@link dev.graft.Precision#INT8} runs them on ONNX
     * Runtime from the first text, on int8 weights quantised from the current ones.
     *
     * @param value the precision of {@link #extractFeatures} while the encoder is frozen
     */
    @Override
    public void usePrecision(dev.graft.Precision value) {
        if (value != precision && onnxEncoder != null) {
            onnxEncoder.close();
            onnxEncoder = null;
        }
        precision = value;
    }

    @Override
    public dev.graft.Precision precision() {
        return precision;
    }

    /** {@return the engine {@link #extractFeatures} runs the next text on} */
    public FrozenEngine featureEngine() {
        return onOnnxRuntime(1) ? FrozenEngine.ONNX_RUNTIME : FrozenEngine.PYTORCH;
    }

    private boolean onOnnxRuntime(int texts) {
        if (!frozen()) {
            return false;
        }
        if (precision == dev.graft.Precision.INT8) {
            return true;
        }
        return switch (frozenEngine) {
            case ONNX_RUNTIME -> true;
            case PYTORCH -> false;
            case AUTO -> onnxEncoder != null || textsOnPyTorch + texts > FrozenEngine.AUTO_AFTER_TEXTS;
        };
    }

    private boolean frozen() {
        if (!adapters.isEmpty()) {
            return false;
        }
        for (Map<String, Parameter> group : groups) {
            for (Parameter p : group.values()) {
                if (p.requiresGradient()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void weightsMayChange() {
        if (onnxEncoder != null) {
            onnxEncoder.close();
            onnxEncoder = null;
        }
    }

    @Override
    public java.util.Map<String, Parameter> parameters(int group) {
        return java.util.Collections.unmodifiableMap(groups.get(group));
    }

    @Override
    public boolean decays(String name) {
        return BertParameters.decays(name);
    }

    @Override
    public void setTrainable(int group, boolean trainable) {
        weightsMayChange();
        for (Parameter p : groups.get(group).values()) {
            p.freeze(!trainable);
        }
    }

    @Override
    public void setDropout(float rate) {
        for (BertLayer layer : encoder.layers) {
            layer.setDropout(rate);
        }
    }

    @Override
    public NDArray hiddenAt(NDManager target, InputBatch input, int boundary) {
        TextTokenizer.Batch batch = (TextTokenizer.Batch) input;
        Shape shape = new Shape(batch.size(), batch.length());
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(batch.ids(), shape);
            NDArray mask = scope.create(batch.mask(), shape);
            NDArray h = encoder.hiddenAt(new ParameterStore(scope, false), ids, mask, boundary, false);
            h.attach(target);
            return h;
        }
    }

    @Override
    public NDArray forwardFrom(ParameterStore ps, NDArray input, NDArray mask, int boundary, boolean training) {
        return encoder.forwardFrom(ps, input, mask, boundary, training);
    }

    @Override
    public void loadTuned(java.util.Map<String, float[]> tensors, String sha256) {
        weightsMayChange();
        java.util.Map<String, Parameter> all = new java.util.HashMap<>();
        groups.forEach(all::putAll);
        all.putAll(adapters);
        for (java.util.Map.Entry<String, float[]> e : tensors.entrySet()) {
            Parameter p = all.get(e.getKey());
            if (p == null) {
                throw new GraftException("tuned weight '" + e.getKey() + "' is not a parameter of " + id
                        + "; the bundle was made for another backbone");
            }
            if (p.getArray().getShape().size() != e.getValue().length) {
                throw new GraftException("tuned weight '" + e.getKey() + "' has " + e.getValue().length
                        + " values, " + id + " expects " + p.getArray().getShape().size());
            }
            p.getArray().set(e.getValue());
        }
        this.tunedSha256 = sha256;
    }

    private static final java.util.Map<String, String> ROLE_NAMES = java.util.Map.of(
            "query", "attention.self.query", "key", "attention.self.key", "value", "attention.self.value",
            "attention-output", "attention.output.dense", "intermediate", "intermediate.dense", "output", "output.dense");

    private final java.util.Map<String, Parameter> adapters = new java.util.LinkedHashMap<>();

    @Override
    public java.util.Map<String, Parameter> attachAdapters(dev.graft.adapt.AdapterSpec spec, long seed) {
        if (!adapters.isEmpty()) {
            throw new IllegalStateException("adapters are already attached");
        }
        weightsMayChange();
        java.util.Random random = new java.util.Random(seed);
        int blocks = encoder.layers.size();
        int first = spec.blocks() == 0 ? 0 : Math.max(0, blocks - spec.blocks());
        for (int i = first; i < blocks; i++) {
            BertLayer layer = encoder.layers.get(i);
            String p = "encoder.layer." + i + ".";
            if (spec.kind().equals("lora")) {
                for (String role : spec.targets()) {
                    Shape w = layer.linear(role).getParameters().get("weight").getArray().getShape();
                    LoraAdapter a = new LoraAdapter(manager, (int) w.get(1), (int) w.get(0), spec.rank(),
                            (float) spec.scale(), (float) spec.dropout(), random);
                    layer.lora.put(role, a);
                    adapters.put(p + ROLE_NAMES.get(role) + ".lora_A.weight", a.a);
                    adapters.put(p + ROLE_NAMES.get(role) + ".lora_B.weight", a.b);
                }
            } else {
                PrefixAdapter a = new PrefixAdapter(manager, spec.tokens(), encoder.config().hidden(), random);
                layer.prefix = a;
                adapters.put(p + "attention.prefix.key", a.keys);
                adapters.put(p + "attention.prefix.value", a.values);
            }
        }
        return java.util.Collections.unmodifiableMap(adapters);
    }

    @Override
    public long adapterParameterCount(dev.graft.adapt.AdapterSpec spec) {
        int blocks = encoder.layers.size();
        int adapted = spec.blocks() == 0 ? blocks : Math.min(blocks, spec.blocks());
        if (spec.kind().equals("prefix")) {
            return (long) adapted * 2 * spec.tokens() * encoder.config().hidden();
        }
        long perBlock = 0;
        for (String role : spec.targets()) {
            Shape w = encoder.layers.get(0).linear(role).getParameters().get("weight").getArray().getShape();
            perBlock += (long) spec.rank() * (w.get(0) + w.get(1));
        }
        return adapted * perBlock;
    }

    @Override
    public java.util.Map<String, Parameter> adapterParameters() {
        return java.util.Collections.unmodifiableMap(adapters);
    }

    @Override
    public java.util.Map<String, float[]> mergeAdapters() {
        weightsMayChange();
        java.util.Map<String, float[]> merged = new java.util.LinkedHashMap<>();
        for (int i = 0; i < encoder.layers.size(); i++) {
            BertLayer layer = encoder.layers.get(i);
            if (layer.prefix != null) {
                throw new GraftException("prefix-tuning adapters cannot be merged into the weights; export the bundle as it is");
            }
            for (java.util.Map.Entry<String, LoraAdapter> e : layer.lora.entrySet()) {
                NDArray weight = layer.linear(e.getKey()).getParameters().get("weight").getArray();
                float[] w = weight.toFloatArray();
                float[] delta = e.getValue().merged();
                for (int k = 0; k < w.length; k++) {
                    w[k] += delta[k];
                }
                weight.set(w);
                merged.put("encoder.layer." + i + "." + ROLE_NAMES.get(e.getKey()) + ".weight", w);
            }
            layer.lora.clear();
        }
        adapters.clear();
        return merged;
    }

    @Override
    public void close() {
        weightsMayChange();
        manager.close();
        tokenizer.close();
    }
}
